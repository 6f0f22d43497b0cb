package dev.tally.governance.auth;

import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class KeyLifetimeTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void no_expiry_means_a_key_that_never_expires() {
        assertThat(KeyLifetime.expiresAt(null, NOW)).isNull();
        assertThat(KeyLifetime.expired(null, NOW.plusSeconds(1_000_000_000))).isFalse();
    }

    @Test
    void an_expiry_is_an_iso_date_time_with_an_offset() {
        assertThat(KeyLifetime.expiresAt("2026-11-24T12:00:00+02:00", NOW))
                .isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Test
    void an_expiry_now_or_in_the_past_is_refused_naming_expires_at() {
        assertThat(refusal(() -> KeyLifetime.expiresAt(NOW.toString(), NOW)).field()).isEqualTo("expires_at");
        assertThat(refusal(() -> KeyLifetime.expiresAt("2020-01-01T00:00:00Z", NOW)).status())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void an_expiry_that_is_not_a_date_time_is_refused_naming_expires_at() {
        assertThat(refusal(() -> KeyLifetime.expiresAt("next week", NOW)).field()).isEqualTo("expires_at");
        assertThat(refusal(() -> KeyLifetime.expiresAt("2026-12-01", NOW)).field()).isEqualTo("expires_at");
    }

    @Test
    void a_key_is_expired_from_its_expiry_on() {
        assertThat(KeyLifetime.expired(NOW, NOW.minusMillis(1))).isFalse();
        assertThat(KeyLifetime.expired(NOW, NOW)).isTrue();
    }

    @Test
    void the_grace_defaults_to_a_day_and_is_at_most_a_week() {
        assertThat(KeyLifetime.graceDeadline(null, NOW)).isEqualTo(NOW.plusSeconds(86_400));
        assertThat(KeyLifetime.graceDeadline(0L, NOW)).isEqualTo(NOW);
        assertThat(KeyLifetime.graceDeadline(604_800L, NOW)).isEqualTo(NOW.plusSeconds(604_800));
        assertThat(refusal(() -> KeyLifetime.graceDeadline(604_801L, NOW)).field()).isEqualTo("grace_seconds");
        assertThat(refusal(() -> KeyLifetime.graceDeadline(-1L, NOW)).field()).isEqualTo("grace_seconds");
    }

    @Test
    void a_rotated_key_keeps_an_earlier_expiry_of_its_own() {
        Instant deadline = NOW.plusSeconds(3_600);

        assertThat(KeyLifetime.afterRotation(null, deadline)).isEqualTo(deadline);
        assertThat(KeyLifetime.afterRotation(NOW.plusSeconds(60), deadline)).isEqualTo(NOW.plusSeconds(60));
        assertThat(KeyLifetime.afterRotation(NOW.plusSeconds(7_200), deadline)).isEqualTo(deadline);
    }

    private static ApiException refusal(Runnable call) {
        ApiException e = catchThrowableOfType(ApiException.class, call::run);
        assertThat(e).as("expected a refusal").isNotNull();
        return e;
    }
}

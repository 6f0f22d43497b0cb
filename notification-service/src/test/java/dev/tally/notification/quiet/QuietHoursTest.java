package dev.tally.notification.quiet;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuietHoursTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), BERLIN);

    @Test
    void a_window_across_midnight_holds_late_evening_and_early_morning_in_its_own_zone() {
        // 2026-11-23 is winter time: Berlin = UTC+1.
        assertThat(night.contains(Instant.parse("2026-11-23T21:30:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-11-23T05:59:59Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-11-23T06:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-11-23T20:59:59Z"))).isFalse();
    }

    @Test
    void a_delivery_in_the_window_is_deferred_to_its_end_and_one_outside_goes_now() {
        assertThat(night.deferral(Instant.parse("2026-11-23T21:30:00Z")))
                .contains(Instant.parse("2026-11-24T06:00:00Z"));
        assertThat(night.deferral(Instant.parse("2026-11-23T02:00:00Z")))
                .contains(Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(night.deferral(Instant.parse("2026-11-23T12:00:00Z"))).isEmpty();
    }

    @Test
    void a_window_within_one_day_ends_the_same_day() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0), ZoneId.of("UTC"));

        assertThat(lunch.deferral(Instant.parse("2026-11-23T12:10:00Z"))).contains(Instant.parse("2026-11-23T13:00:00Z"));
        assertThat(lunch.contains(Instant.parse("2026-11-23T13:00:00Z"))).isFalse();
        assertThat(lunch.contains(Instant.parse("2026-11-23T11:59:59Z"))).isFalse();
    }

    @Test
    void an_empty_window_is_refused() {
        assertThatThrownBy(() -> new QuietHours(LocalTime.NOON, LocalTime.NOON, BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

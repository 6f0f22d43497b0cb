package dev.tally.gateway.policy;

import dev.tally.gateway.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimiterTest {

    private static final long MINUTE = 60_000;
    /** The start of some minute, well after the epoch. */
    private static final long T0 = 29_000_000 * MINUTE;

    private final RateLimiter limiter = new RateLimiter();

    private GatewayException refusal(String member, Integer rpm, Integer tpm, long tokens, long now) {
        return catchThrowableOfType(GatewayException.class, () -> limiter.acquire(member, rpm, tpm, tokens, now));
    }

    @Test
    void the_request_after_the_rpm_limit_is_refused_with_429() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("m", 3, null, 10, T0 + i);
        }

        GatewayException refused = refusal("m", 3, null, 10, T0 + 10);

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void retry_after_is_the_seconds_until_the_minute_turns() {
        limiter.acquire("m", 1, null, 0, T0);

        assertThat(refusal("m", 1, null, 0, T0 + 20_000).retryAfterSeconds()).isEqualTo(40);
    }

    @Test
    void retry_after_is_at_least_one_second_at_the_end_of_a_minute() {
        limiter.acquire("m", 1, null, 0, T0);

        assertThat(refusal("m", 1, null, 0, T0 + MINUTE - 1).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void the_next_minute_starts_a_fresh_window() {
        limiter.acquire("m", 1, 100, 100, T0);
        assertThat(refusal("m", 1, 100, 1, T0 + 1_000)).isNotNull();

        assertThatCode(() -> limiter.acquire("m", 1, 100, 100, T0 + MINUTE)).doesNotThrowAnyException();
    }

    @Test
    void the_tpm_limit_counts_tokens() {
        limiter.acquire("m", null, 100, 60, T0);

        GatewayException refused = refusal("m", null, 100, 50, T0 + 1);

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("100 tokens per minute");
    }

    @Test
    void a_request_refused_for_tokens_uses_neither_tokens_nor_a_request() {
        limiter.acquire("m", 2, 100, 90, T0);
        assertThat(refusal("m", 2, 100, 20, T0 + 1)).isNotNull();

        // had the refusal counted, this would be the third request, or 110 tokens
        assertThatCode(() -> limiter.acquire("m", 2, 100, 10, T0 + 2)).doesNotThrowAnyException();
    }

    @Test
    void a_request_refused_for_requests_does_not_use_a_request() {
        limiter.acquire("m", 2, null, 0, T0);
        limiter.acquire("m", 2, null, 0, T0 + 1);
        assertThat(refusal("m", 2, null, 0, T0 + 2)).isNotNull();
        assertThat(refusal("m", 2, null, 0, T0 + 3)).isNotNull();

        assertThatCode(() -> limiter.acquire("m", 2, null, 0, T0 + MINUTE)).doesNotThrowAnyException();
        assertThatCode(() -> limiter.acquire("m", 2, null, 0, T0 + MINUTE + 1)).doesNotThrowAnyException();
    }

    @Test
    void limits_are_counted_per_member() {
        limiter.acquire("alice", 1, null, 0, T0);

        assertThatCode(() -> limiter.acquire("bob", 1, null, 0, T0 + 1)).doesNotThrowAnyException();
        assertThat(refusal("alice", 1, null, 0, T0 + 2)).isNotNull();
    }

    @Test
    void an_rpm_limit_alone_ignores_tokens() {
        assertThatCode(() -> limiter.acquire("m", 5, null, Long.MAX_VALUE / 2, T0)).doesNotThrowAnyException();
        assertThatCode(() -> limiter.acquire("m", 5, null, Long.MAX_VALUE / 2, T0 + 1)).doesNotThrowAnyException();
    }

    @Test
    void without_limits_nothing_is_refused() {
        assertThatCode(() -> {
            for (int i = 0; i < 10_000; i++) {
                limiter.acquire("m", null, null, 1_000_000, T0 + i);
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void the_windows_of_past_minutes_leave_memory_with_the_next_minutes_first_request() {
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("member-" + i, 10, null, 1, T0 + i % MINUTE);
        }
        assertThat(limiter.windows()).isEqualTo(100_000);

        limiter.acquire("member-7", 10, null, 1, T0 + MINUTE);

        assertThat(limiter.windows()).isEqualTo(1);
    }
}

package dev.tally.notification.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void without_jitter_each_wait_is_the_previous_times_the_multiplier_up_to_the_cap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), 3.0, 0, Duration.ofMinutes(2));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(45));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.after(10)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void jitter_spreads_each_wait_within_the_fraction_around_the_exponential_one() {
        Backoff backoff = new Backoff(Duration.ofSeconds(4), 2.0, 0.5, Duration.ofHours(1));
        Set<Long> seen = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            long first = backoff.after(1).toMillis();
            long third = backoff.after(3).toMillis();
            assertThat(first).isBetween(2_000L, 6_000L);
            assertThat(third).isBetween(8_000L, 24_000L);
            seen.add(first);
        }
        assertThat(seen).as("distinct waits of the first retry").hasSizeGreaterThan(20);
    }
}

package dev.tally.gateway.lease;

import dev.tally.events.ledger.Priority;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseLineTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final LeaseSettings DEFAULTS = LeaseSettings.DEFAULTS;

    private final LeaseLine line = new LeaseLine(new LeaseKey("org", List.of(), List.of("org-pool"), Priority.NORMAL,
            false));

    @Test
    void a_member_asking_every_five_seconds_keeps_its_lease_between_requests() {
        // One agent of a thousand in an organisation, each asking about every five seconds: returning its lease
        // after five idle seconds made nearly every request reserve a lease on its path and release it again.
        for (long at = 1; at <= 4; at++) {
            line.count(at * 5 * SECOND);
        }

        long idle = line.idleNanos(DEFAULTS.idleRelease().toNanos(), DEFAULTS.maxIdle().toNanos(), 20 * SECOND);

        assertThat(idle).as("three of its gaps").isEqualTo(15 * SECOND);
    }

    @Test
    void a_member_asking_in_bursts_keeps_its_lease_from_one_burst_to_the_next() {
        // Two requests a few milliseconds apart every three seconds (how wrk's threads pass a list of 1,000 keys, and
        // how an agent fires parallel tool calls): an average of the gaps sat between the two and gave an idle time
        // shorter than the time to the next burst, so every burst reserved a lease and released it again.
        long millisecond = TimeUnit.MILLISECONDS.toNanos(1);
        long last = 0;
        for (long burst = 1; burst <= 20; burst++) {
            line.count(burst * 3 * SECOND);
            last = burst * 3 * SECOND + 5 * millisecond;
            line.count(last);

            long idle = line.idleNanos(DEFAULTS.idleRelease().toNanos(), DEFAULTS.maxIdle().toNanos(), last);

            if (burst >= 2) {
                assertThat(idle).as("idle time after burst %d", burst).isGreaterThan(4 * SECOND);
            }
        }
        assertThat(line.requestsWithin(30 * SECOND)).as("two requests every three seconds").isBetween(16L, 24L);
    }

    @Test
    void a_member_asking_every_twenty_seconds_keeps_its_lease_for_the_longest_idle_time() {
        for (long at = 1; at <= 4; at++) {
            line.count(at * 20 * SECOND);
        }

        long idle = line.idleNanos(DEFAULTS.idleRelease().toNanos(), DEFAULTS.maxIdle().toNanos(), 80 * SECOND);

        assertThat(idle).isEqualTo(DEFAULTS.maxIdle().toNanos());
    }

    @Test
    void a_member_asking_less_often_than_the_longest_idle_time_returns_its_lease_at_once() {
        // Its next request comes after the lease would have gone back anyway: keeping it would hold credit for nothing.
        for (long at = 1; at <= 4; at++) {
            line.count(at * 60 * SECOND);
        }

        long idle = line.idleNanos(DEFAULTS.idleRelease().toNanos(), DEFAULTS.maxIdle().toNanos(), 240 * SECOND);

        assertThat(idle).isEqualTo(DEFAULTS.idleRelease().toNanos());
    }

    @Test
    void while_credit_is_short_an_unused_lease_goes_back_after_the_shortest_idle_time() {
        for (long at = 1; at <= 4; at++) {
            line.count(at * 5 * SECOND);
        }
        line.exactUntilNanos = 21 * SECOND;

        long idle = line.idleNanos(DEFAULTS.idleRelease().toNanos(), DEFAULTS.maxIdle().toNanos(), 20 * SECOND);

        assertThat(idle).isEqualTo(DEFAULTS.idleRelease().toNanos());
    }

    @Test
    void a_member_asking_every_three_seconds_makes_ten_requests_in_thirty() {
        for (long at = 1; at <= 4; at++) {
            line.count(at * 3 * SECOND);
        }

        assertThat(line.requestsWithin(30 * SECOND)).isEqualTo(10);
        assertThat(new LeaseLine(line.key).requestsWithin(30 * SECOND)).as("no gap known yet").isZero();
    }
}

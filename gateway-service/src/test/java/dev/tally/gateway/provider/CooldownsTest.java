package dev.tally.gateway.provider;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** When a deployment is left out of balancing, by a clock the test moves. */
class CooldownsTest {

    private static final Deployment EAST = new Deployment("openai-east", "gpt-4o", 1);
    private static final Deployment WEST = new Deployment("openai-west", "gpt-4o", 1);

    private final MovableClock clock = new MovableClock();
    private final Cooldowns cooldowns = new Cooldowns(clock, new RoutingSettings.Cooldown(3, Duration.ofSeconds(60),
            Duration.ofSeconds(30)));

    @Test
    void failures_below_the_threshold_do_not_cool_a_deployment_down() {
        cooldowns.failed(EAST, false);
        cooldowns.failed(EAST, false);

        assertThat(cooldowns.cooling(EAST)).isFalse();
    }

    @Test
    void the_threshold_of_failures_within_the_window_cools_it_down_for_the_period() {
        for (int i = 0; i < 3; i++) {
            cooldowns.failed(EAST, false);
        }

        assertThat(cooldowns.cooling(EAST)).isTrue();
        assertThat(cooldowns.cooling(WEST)).isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(cooldowns.cooling(EAST)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cooldowns.cooling(EAST)).isFalse();
    }

    @Test
    void failures_spread_wider_than_the_window_do_not_add_up() {
        cooldowns.failed(EAST, false);
        cooldowns.failed(EAST, false);
        clock.advance(Duration.ofSeconds(61));
        cooldowns.failed(EAST, false);

        assertThat(cooldowns.cooling(EAST)).isFalse();
    }

    @Test
    void one_rate_limit_cools_a_deployment_down_at_once() {
        cooldowns.failed(EAST, true);

        assertThat(cooldowns.cooling(EAST)).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(cooldowns.cooling(EAST)).isFalse();
    }

    @Test
    void a_deployment_back_from_its_cooldown_starts_counting_afresh() {
        for (int i = 0; i < 3; i++) {
            cooldowns.failed(EAST, false);
        }
        clock.advance(Duration.ofSeconds(30));
        cooldowns.failed(EAST, false);

        assertThat(cooldowns.cooling(EAST)).isFalse();
    }

    /** A clock the test sets. */
    static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

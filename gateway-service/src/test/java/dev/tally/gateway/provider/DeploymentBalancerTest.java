package dev.tally.gateway.provider;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** How a model's deployments are ordered for a request: by weight, by calls in flight, without cooling ones. */
class DeploymentBalancerTest {

    private static final Deployment BIG = new Deployment("big", "gpt-4o", 3);
    private static final Deployment SMALL = new Deployment("small", "gpt-4o", 1);

    private final CooldownsTest.MovableClock clock = new CooldownsTest.MovableClock();
    private final Cooldowns cooldowns = new Cooldowns(clock, new RoutingSettings.Cooldown(1, Duration.ofSeconds(60),
            Duration.ofSeconds(30)));
    private final DeploymentBalancer balancer = new DeploymentBalancer(cooldowns, new SplittableRandom(42));

    @Test
    void weighted_picks_each_deployment_in_proportion_to_its_weight() {
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            firsts.merge(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.WEIGHTED).get(0).provider(),
                    1, Integer::sum);
        }

        // 3:1 → 3000 and 1000 expected; a fixed seed, and a margin no fair draw of 4000 misses.
        assertThat(firsts.get("big")).isBetween(2800, 3200);
        assertThat(firsts.get("small")).isBetween(800, 1200);
    }

    @Test
    void every_deployment_is_in_the_order_once_so_the_others_can_be_tried_after_the_first() {
        List<Deployment> order = balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.WEIGHTED);

        assertThat(order).containsExactlyInAnyOrder(BIG, SMALL);
    }

    @Test
    void a_cooling_deployment_is_skipped() {
        cooldowns.failed(BIG, true);

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.WEIGHTED))
                    .containsExactly(SMALL);
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.WEIGHTED)).contains(BIG);
    }

    @Test
    void when_every_deployment_is_cooling_all_are_tried_rather_than_none() {
        cooldowns.failed(BIG, true);
        cooldowns.failed(SMALL, true);

        assertThat(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.WEIGHTED))
                .containsExactlyInAnyOrder(BIG, SMALL);
    }

    @Test
    void least_busy_picks_the_deployment_with_the_fewest_calls_in_flight_per_unit_of_weight() {
        Deployment left = new Deployment("left", "m", 1);
        Deployment right = new Deployment("right", "m", 1);
        Sinks.One<String> hanging = Sinks.one();
        balancer.tracked(left, hanging.asMono()).subscribe();

        for (int i = 0; i < 50; i++) {
            assertThat(balancer.order(List.of(left, right), DeploymentBalancer.Strategy.LEAST_BUSY).get(0))
                    .isEqualTo(right);
        }
        assertThat(balancer.inFlight(left)).isEqualTo(1);

        hanging.tryEmitValue("done");
        assertThat(balancer.inFlight(left)).isZero();
    }

    @Test
    void least_busy_counts_weight_a_deployment_three_times_as_big_takes_three_times_the_calls() {
        for (int i = 0; i < 2; i++) {
            balancer.tracked(BIG, Sinks.<String>one().asMono()).subscribe();
        }
        balancer.tracked(SMALL, Sinks.<String>one().asMono()).subscribe();

        // big: 2 in flight / weight 3 < small: 1 / 1
        assertThat(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.LEAST_BUSY).get(0)).isEqualTo(BIG);
        balancer.tracked(BIG, Sinks.<String>one().asMono()).subscribe();
        balancer.tracked(BIG, Sinks.<String>one().asMono()).subscribe();
        // big: 4 / 3 > small: 1 / 1
        assertThat(balancer.order(List.of(BIG, SMALL), DeploymentBalancer.Strategy.LEAST_BUSY).get(0))
                .isEqualTo(SMALL);
    }

    @Test
    void a_failed_or_cancelled_call_is_no_longer_in_flight() {
        balancer.tracked(BIG, Mono.error(new ProviderFailure(503, "down"))).onErrorResume(e -> Mono.empty())
                .subscribe();
        var cancelled = balancer.tracked(SMALL, Sinks.<String>one().asMono()).subscribe();
        assertThat(balancer.inFlight(SMALL)).isEqualTo(1);

        cancelled.dispose();

        assertThat(balancer.inFlight(BIG)).isZero();
        assertThat(balancer.inFlight(SMALL)).isZero();
    }
}

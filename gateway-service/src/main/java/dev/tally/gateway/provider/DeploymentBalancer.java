package dev.tally.gateway.provider;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Orders a model's deployments for one request: the first is the one chosen, the others are tried in turn when it
 * fails. Deployments cooling down are left out, unless every one of them is (a cooldown alone never refuses a
 * request: the circuit breaker does that). Calls in flight are counted per deployment for {@code least-busy}.
 */
public class DeploymentBalancer {

    public enum Strategy {
        /** At random, in proportion to the weights: LiteLLM's simple-shuffle. */
        WEIGHTED,
        /** The fewest calls in flight per unit of weight; ties at random by weight. */
        LEAST_BUSY;

        static Strategy of(String name, String model) {
            return switch (name) {
                case "weighted" -> WEIGHTED;
                case "least-busy" -> LEAST_BUSY;
                default -> throw new IllegalStateException("model " + model + " has unknown strategy " + name
                        + " (weighted or least-busy)");
            };
        }
    }

    private final Cooldowns cooldowns;
    private final RandomGenerator random;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public DeploymentBalancer(Cooldowns cooldowns, RandomGenerator random) {
        this.cooldowns = cooldowns;
        this.random = random;
    }

    public List<Deployment> order(List<Deployment> deployments, Strategy strategy) {
        List<Deployment> remaining = new ArrayList<>(deployments.stream().filter(d -> !cooldowns.cooling(d))
                .toList());
        if (remaining.isEmpty()) {
            remaining.addAll(deployments);
        }
        List<Deployment> order = new ArrayList<>(remaining.size());
        while (!remaining.isEmpty()) {
            Deployment next = strategy == Strategy.LEAST_BUSY ? leastBusy(remaining) : weighted(remaining);
            order.add(next);
            remaining.remove(next);
        }
        return order;
    }

    private Deployment weighted(List<Deployment> deployments) {
        int total = deployments.stream().mapToInt(Deployment::weight).sum();
        int ticket = random.nextInt(total);
        for (Deployment deployment : deployments) {
            ticket -= deployment.weight();
            if (ticket < 0) {
                return deployment;
            }
        }
        return deployments.get(deployments.size() - 1);
    }

    private Deployment leastBusy(List<Deployment> deployments) {
        List<Deployment> idlest = new ArrayList<>();
        long bestBusy = 0;
        int bestWeight = 1;
        for (Deployment deployment : deployments) {
            long busy = inFlight(deployment);
            // busy / weight compared without division: a / w < b / v ⇔ a·v < b·w
            long cmp = idlest.isEmpty() ? -1 : busy * bestWeight - bestBusy * deployment.weight();
            if (cmp < 0) {
                idlest.clear();
                bestBusy = busy;
                bestWeight = deployment.weight();
            }
            if (cmp <= 0) {
                idlest.add(deployment);
            }
        }
        return weighted(idlest);
    }

    public int inFlight(Deployment deployment) {
        AtomicInteger count = inFlight.get(deployment.id());
        return count == null ? 0 : count.get();
    }

    /** Counts the call as in flight on the deployment from subscription until it ends, fails or is cancelled. */
    public <T> Mono<T> tracked(Deployment deployment, Mono<T> call) {
        return Mono.defer(() -> {
            AtomicInteger count = inFlight.computeIfAbsent(deployment.id(), id -> new AtomicInteger());
            count.incrementAndGet();
            return call.doFinally(signal -> count.decrementAndGet());
        });
    }

    public <T> Flux<T> tracked(Deployment deployment, Flux<T> call) {
        return Flux.defer(() -> {
            AtomicInteger count = inFlight.computeIfAbsent(deployment.id(), id -> new AtomicInteger());
            count.incrementAndGet();
            return call.doFinally(signal -> count.decrementAndGet());
        });
    }
}

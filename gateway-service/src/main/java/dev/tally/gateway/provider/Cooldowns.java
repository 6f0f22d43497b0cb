package dev.tally.gateway.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which deployments are cooling down: one that failed {@code failures} times within {@code window}, or was told to
 * slow down (429), is left out of balancing for {@code period}. Unlike the circuit breaker, which needs a share of a
 * sliding window of calls to fail, this reacts to a few failures, and to one 429: a deployment over its quota says so
 * once, and every request sent to it meanwhile is a wasted round trip.
 */
public class Cooldowns {

    private final Clock clock;
    private final int failures;
    private final Duration window;
    private final Duration period;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();
    private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();

    public Cooldowns(Clock clock, RoutingSettings.Cooldown settings) {
        this.clock = clock;
        this.failures = settings.failures();
        this.window = settings.window();
        this.period = settings.period();
    }

    public boolean cooling(Deployment deployment) {
        Instant until = coolingUntil.get(deployment.id());
        return until != null && clock.instant().isBefore(until);
    }

    /** A failure that is the deployment's (5xx, timeout, unreachable, 429), after the provider's own retries. */
    public void failed(Deployment deployment, boolean rateLimited) {
        Instant now = clock.instant();
        if (rateLimited) {
            coolDown(deployment, now);
            return;
        }
        Deque<Instant> times = recent.computeIfAbsent(deployment.id(), id -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
                times.removeFirst();
            }
            if (times.size() >= failures) {
                times.clear();
                coolDown(deployment, now);
            }
        }
    }

    private void coolDown(Deployment deployment, Instant now) {
        coolingUntil.put(deployment.id(), now.plus(period));
    }
}

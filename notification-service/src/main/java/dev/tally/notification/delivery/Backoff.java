package dev.tally.notification.delivery;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;

/**
 * The wait after a failed attempt: resilience4j's exponential back-off with jitter, capped. Attempt n (1 = the first)
 * waits about {@code initial * multiplier^(n-1)}, randomised by +/- {@code jitter}.
 */
public class Backoff {

    private final IntervalFunction intervals;

    public Backoff(Duration initial, double multiplier, double jitter, Duration max) {
        this.intervals = jitter > 0
                ? IntervalFunction.ofExponentialRandomBackoff(initial.toMillis(), multiplier, jitter, max.toMillis())
                : IntervalFunction.ofExponentialBackoff(initial.toMillis(), multiplier, max.toMillis());
    }

    public Duration after(int failedAttempt) {
        return Duration.ofMillis(intervals.apply(failedAttempt));
    }
}

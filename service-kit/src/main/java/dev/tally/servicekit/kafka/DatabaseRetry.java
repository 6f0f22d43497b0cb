package dev.tally.servicekit.kafka;

import org.springframework.core.env.Environment;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Duration;

/**
 * How long a consumer keeps retrying a record while its database is away, before the record goes to the dead-letter
 * topic: exponential back-off from {@code initial-interval}, times {@code multiplier} per try, each wait at most
 * {@code max-interval}, all the waits together at most {@code max-elapsed}. Settings
 * {@code tally.kafka.database-retry.*}
 * (environment {@code TALLY_KAFKA_DATABASE_RETRY_MAX_ELAPSED} and so on), the same in every service.
 *
 * <p>A wait must stay well below the consumer's {@code max.poll.interval.ms} (5 min): the consumer sleeps between two
 * polls, and a longer sleep would take its partitions away. The total has no such limit, since every try polls again.
 */
public record DatabaseRetry(Duration initialInterval, double multiplier, Duration maxInterval, Duration maxElapsed) {

    public static final String PREFIX = "tally.kafka.database-retry.";
    // Before DEFAULTS: the constructor reads it.
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);
    public static final DatabaseRetry DEFAULTS =
            new DatabaseRetry(Duration.ofMillis(500), 2.0, Duration.ofSeconds(30), Duration.ofMinutes(5));

    public DatabaseRetry {
        if (initialInterval.isNegative() || initialInterval.isZero()) {
            throw new IllegalArgumentException(PREFIX + "initial-interval must be positive, was " + initialInterval);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException(PREFIX + "multiplier must be at least 1, was " + multiplier);
        }
        if (maxInterval.compareTo(initialInterval) < 0 || maxInterval.compareTo(LONGEST_WAIT) > 0) {
            throw new IllegalArgumentException(PREFIX + "max-interval must be between initial-interval and "
                    + LONGEST_WAIT + " (below the consumer's max.poll.interval.ms), was " + maxInterval);
        }
        if (maxElapsed.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "max-elapsed must not be negative, was " + maxElapsed);
        }
    }

    public static DatabaseRetry from(Environment environment) {
        return new DatabaseRetry(
                environment.getProperty(PREFIX + "initial-interval", Duration.class, DEFAULTS.initialInterval()),
                environment.getProperty(PREFIX + "multiplier", Double.class, DEFAULTS.multiplier()),
                environment.getProperty(PREFIX + "max-interval", Duration.class, DEFAULTS.maxInterval()),
                environment.getProperty(PREFIX + "max-elapsed", Duration.class, DEFAULTS.maxElapsed()));
    }

    public BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
        backOff.setMaxInterval(maxInterval.toMillis());
        backOff.setMaxElapsedTime(maxElapsed.toMillis());
        return backOff;
    }
}

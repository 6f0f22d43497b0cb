package dev.tally.servicekit.kafka;

import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;

/**
 * The error handler of every consumer that writes to a database. Three kinds of failure, three answers:
 * <ul>
 *   <li>a record that cannot be read (the {@code poison} types, and spring-kafka's own: deserialization, conversion)
 *       goes to the dead-letter topic at once, since no retry can read it;</li>
 *   <li>the database cannot be reached ({@link DatabaseOutage}): retried with {@link DatabaseRetry}'s exponential
 *       back-off, minutes in all, so a database restart or fail-over dead-letters nothing; the record is processed
 *       again from its offset, and the consumers' idempotency (each event id applied once) keeps it from counting
 *       twice;</li>
 *   <li>anything else: {@code otherFailures}, a few quick tries, then the dead-letter topic, so a record that fails
 *       for a reason of its own does not hold its partition for minutes.</li>
 * </ul>
 */
public final class ConsumerErrorHandlers {

    private ConsumerErrorHandlers() {
    }

    @SafeVarargs
    public static DefaultErrorHandler deadLettering(DeadLetterPublishingRecoverer deadLetters, DatabaseRetry outage,
            BackOff otherFailures, Class<? extends Exception>... poison) {
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, otherFailures);
        handler.setBackOffFunction((record, failure) ->
                DatabaseOutage.isOutage(failure) ? outage.backOff() : otherFailures);
        if (poison.length > 0) {
            handler.addNotRetryableExceptions(poison);
        }
        return handler;
    }
}

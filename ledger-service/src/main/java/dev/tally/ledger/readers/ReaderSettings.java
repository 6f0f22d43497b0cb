package dev.tally.ledger.readers;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The HTTP readers' share of the database ({@code tally.ledger.readers.*}), kept apart from the command path's pool
 * so that no number of readers can take a connection a command needs.
 *
 * @param poolSize          connections for {@code /events} and {@code /verify} together
 * @param connectionTimeout how long a reader waits for one of them before answering 503 {@code readers_busy}
 * @param statementTimeout  PostgreSQL's {@code statement_timeout} on those connections: a longer query is cancelled
 *                          and answers 503 {@code read_timeout}
 * @param username          the readers' database role; the command path's when not set (a read-only role will do)
 * @param defaultLimit      events in an {@code /events} page when the request names no {@code limit}
 * @param maxLimit          the largest {@code limit} a request may name
 */
@ConfigurationProperties("tally.ledger.readers")
public record ReaderSettings(int poolSize, Duration connectionTimeout, Duration statementTimeout, String url,
        String username, String password, int defaultLimit, int maxLimit) {
}

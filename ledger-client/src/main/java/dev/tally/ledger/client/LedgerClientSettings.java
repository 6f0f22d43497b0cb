package dev.tally.ledger.client;

import java.time.Duration;
import java.util.Objects;

/**
 * @param bootstrapServers the Kafka cluster ledger-service listens on
 * @param source the CloudEvents {@code ce_source} of every command sent, e.g. {@code tally/gateway-service}
 * @param replyTimeout how long a {@link LedgerClient#send} future waits for the ledger's reply
 */
public record LedgerClientSettings(String bootstrapServers, String source, Duration replyTimeout) {

    public LedgerClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is required");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is required");
        }
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        if (replyTimeout.isNegative() || replyTimeout.isZero()) {
            throw new IllegalArgumentException("replyTimeout must be positive, was " + replyTimeout);
        }
    }
}

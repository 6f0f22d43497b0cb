package dev.tally.ledger.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * @param bootstrapServers the Kafka cluster ledger-service listens on
 * @param source the CloudEvents {@code ce_source} of every command sent, e.g. {@code tally/gateway-service}
 * @param replyTimeout how long a {@link LedgerClient#send} future waits for the ledger's reply
 * @param securityProperties Kafka client properties that authenticate to the brokers (service-kit's KafkaConnection),
 *                           added to the producer's and the consumer's own; empty for a plaintext broker
 */
public record LedgerClientSettings(String bootstrapServers, String source, Duration replyTimeout,
        Map<String, Object> securityProperties) {

    public LedgerClientSettings(String bootstrapServers, String source, Duration replyTimeout) {
        this(bootstrapServers, source, replyTimeout, Map.of());
    }

    public LedgerClientSettings {
        securityProperties = Map.copyOf(securityProperties);
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

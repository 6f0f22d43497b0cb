package dev.tally.analytics.support;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.auth.KeyHash;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Publishes records the way the ledger, the gateway and governance do: shared-events records in Tally's JSON, with
 * the CloudEvents envelope headers, keyed as {@code Topics} documents.
 */
public final class TestEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    TestEvents(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** @return the event id ({@code ce_id}) it was published with */
    public String ledger(LedgerEvent event) {
        return ledger(UUID.randomUUID().toString(), event);
    }

    /** Publishes with a given event id: a second call with the same id is what a re-sending ledger does. */
    public String ledger(String eventId, LedgerEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), event.ledgerId(),
                TallyJson.write(event));
        new Envelope(eventId, LedgerMessageTypes.of(event.getClass()).ceType(), "tally/ledger-service",
                event.occurredAt(), event.ledgerId()).toHeaders().forEach(record.headers()::add);
        send(record);
        return eventId;
    }

    public void request(GatewayRequestRecord r) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.GATEWAY_REQUESTS.name(), r.orgId(),
                TallyJson.write(r));
        new Envelope(r.requestId(), GatewayMessageTypes.REQUEST.ceType(), "tally/gateway", r.occurredAt(),
                r.orgId()).toHeaders().forEach(record.headers()::add);
        send(record);
    }

    public void state(GovernanceState state) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.GOVERNANCE_STATE.name(), state.stateKey(),
                TallyJson.write(state));
        new Envelope(UUID.randomUUID().toString(), GovernanceMessageTypes.of(state.getClass()).ceType(),
                "tally/governance", Instant.now(), state.stateKey()).toHeaders().forEach(record.headers()::add);
        send(record);
    }

    /** A new admin key, published as governance publishes it; returns the plaintext. */
    public String adminKey(String orgId, AdminRole role) {
        String key = "tadm_test_" + UUID.randomUUID();
        state(adminKeyState(key, orgId, role, KeyStatus.ACTIVE));
        return key;
    }

    public static AdminKeyState adminKeyState(String key, String orgId, AdminRole role, KeyStatus status) {
        return new AdminKeyState(KeyHash.of(key), "ak-" + key.substring(key.length() - 8), orgId, role, status,
                Instant.now());
    }

    /** A record as a misbehaving producer might send it; for dead-letter tests. */
    public void raw(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        send(record);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + record.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

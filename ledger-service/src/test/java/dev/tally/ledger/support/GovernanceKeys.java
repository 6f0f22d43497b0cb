package dev.tally.ledger.support;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.auth.KeyHash;
import dev.tally.testsupport.TallyInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Admin keys as governance publishes them on tally.governance.state, for tests of ledger-service's HTTP API. The
 * topic is the broker's, shared by every test class of the JVM: keys are random, so they never collide.
 */
public final class GovernanceKeys {

    /** A platform admin key every ledger test may use; published once per JVM. */
    public static final String PLATFORM_KEY = "tadm_ledger-tests-platform-admin-" + UUID.randomUUID();
    private static KafkaProducer<String, byte[]> producer;
    private static boolean platformPublished;

    private GovernanceKeys() {
    }

    /** The topic and the platform key, before a ledger-service starts: it waits for the topic to be readable. */
    public static synchronized void prepare(TallyInfrastructure infra) {
        infra.createTopics(4, Topics.GOVERNANCE_STATE.name());
        if (!platformPublished) {
            publish(infra, PLATFORM_KEY, null, AdminRole.PLATFORM_ADMIN, KeyStatus.ACTIVE);
            platformPublished = true;
        }
    }

    /** A new key of {@code role} for {@code orgId}, published; usable once ledger-service has read it. */
    public static String newKey(TallyInfrastructure infra, String orgId, AdminRole role) {
        String key = "tadm_" + UUID.randomUUID().toString().replace("-", "");
        publish(infra, key, orgId, role, KeyStatus.ACTIVE);
        return key;
    }

    public static synchronized void publish(TallyInfrastructure infra, String key, String orgId, AdminRole role,
            KeyStatus status) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    infra.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer());
        }
        AdminKeyState state = new AdminKeyState(KeyHash.of(key), "ak-" + key.substring(key.length() - 8), orgId, role,
                status, Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.GOVERNANCE_STATE.name(), state.stateKey(),
                TallyJson.write(state));
        new Envelope(UUID.randomUUID().toString(), GovernanceMessageTypes.of(AdminKeyState.class).ceType(),
                "tally/test", Instant.now(), state.stateKey()).toHeaders().forEach(record.headers()::add);
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish an admin key", e);
        }
    }
}

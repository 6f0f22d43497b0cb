package dev.tally.notification.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.envelope.Envelope;
import dev.tally.events.envelope.MessageType;
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
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.TallyInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * notification-service in this JVM against the real broker and a real PostgreSQL database, with real receivers:
 * an HTTP server on loopback and a GreenMail SMTP server. Delays are short so retries, escalation and quiet hours
 * play out in seconds. The context, the database and the receivers are shared by every IT class: each test works in
 * an organisation of its own.
 *
 * <p>Names resolve through {@link TestDns}. The receivers are on 127.0.0.1, which the outbound address policy refuses,
 * so the allow-list admits them by the name {@code localhost} only: 127.0.0.1 itself, and any other name that
 * resolves to it, stay refused as they would be in production.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tally.notification.poll-interval=100ms",
        "tally.notification.initial-backoff=200ms",
        "tally.notification.backoff-multiplier=2.0",
        "tally.notification.backoff-jitter=0.5",
        "tally.notification.max-backoff=2s",
        "tally.notification.max-attempts=4",
        "tally.notification.escalation-delay=2s",
        "tally.notification.send-timeout=5s",
        "tally.notification.refusal-threshold=3",
        "tally.notification.breaker-minimum-calls=50",
        "tally.notification.breaker-open-for=2s",
        "spring.task.scheduling.pool.size=2",
        "tally.outbound.allow=localhost"})
@Import(TestDns.Wiring.class)
public abstract class NotificationTestBase {

    protected static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    protected static final String CHANNEL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    /**
     * Key id "0", the id of values sealed before key ids existed, still configured but no longer current, as during
     * a rotation: values under it open, none is sealed.
     */
    protected static final String RETIRING_CHANNEL_KEY = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
            31, 32});
    protected static final LoopbackReceiver RECEIVER = new LoopbackReceiver();
    protected static final GreenMail SMTP = startSmtp();
    protected static final TestDns DNS = TestDns.INSTANCE;
    private static KafkaProducer<String, byte[]> producer;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.createTopics(4, Topics.LEDGER_EVENTS.name(), Topics.GOVERNANCE_STATE.name(), Topics.ALERTS.name(),
                Topics.ALERTS_DEAD_LETTER.name());
        PostgresDatabase db = INFRA.newDatabase("notification");
        INFRA.springProperties(db).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tally.notification.channel-key",
                () -> "0:" + RETIRING_CHANNEL_KEY + ",current:" + CHANNEL_KEY);
        registry.add("tally.notification.channel-key-current", () -> "current");
        registry.add("tally.notification.telegram-api-url", () -> RECEIVER.url("/telegram"));
    }

    private static GreenMail startSmtp() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return mail;
    }

    protected static int smtpPort() {
        return SMTP.getSmtp().getPort();
    }

    protected static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    protected static void publish(String topic, String key, MessageType<?> type, String id, Object value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, TallyJson.write(value));
        new Envelope(id, type.ceType(), "tally/test", Instant.now(), key).toHeaders().forEach(record.headers()::add);
        try {
            producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void publishAlert(Alert alert) {
        publish(Topics.ALERTS.name(), alert.orgId(), AlertMessageTypes.ALERT, UUID.randomUUID().toString(), alert);
    }

    protected static void publishLedgerEvent(LedgerEvent event) {
        publish(Topics.LEDGER_EVENTS.name(), event.ledgerId(), LedgerMessageTypes.of(event.getClass()),
                UUID.randomUUID().toString(), event);
    }

    protected static void publishState(GovernanceState state) {
        publish(Topics.GOVERNANCE_STATE.name(), state.stateKey(), GovernanceMessageTypes.of(state.getClass()),
                UUID.randomUUID().toString(), state);
    }

    protected static String newOrgId() {
        return "org-" + UUID.randomUUID();
    }

    /** An admin key of the organisation, published as governance publishes it, and usable once it has arrived. */
    protected Api orgAdmin(String orgId) {
        return adminKey(orgId, AdminRole.ORG_ADMIN);
    }

    protected Api adminKey(String orgId, AdminRole role) {
        return as(publishedAdminKey(orgId, role));
    }

    /** The plaintext of a new admin key, published and accepted, as {@link #adminKey} makes it. */
    protected String publishedAdminKey(String orgId, AdminRole role) {
        String key = "tadm_" + UUID.randomUUID().toString().replace("-", "");
        publishState(new AdminKeyState(KeyHash.of(key), "adm-" + UUID.randomUUID(), orgId, role,
                KeyStatus.ACTIVE, Instant.now()));
        Api api = as(key);
        String query = orgId == null ? "?org_id=any" : "";
        await().atMost(Duration.ofSeconds(30)).until(() -> api.status("GET", "/channels" + query, null) == 200);
        return key;
    }

    protected Api as(String key) {
        return new Api(WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build(), key);
    }

    /** A channel of the organisation; the answer of the creation, secret hint and generated signing secret included. */
    protected static JsonNode createChannel(Api api, Map<String, Object> request) {
        return api.json("POST", "/channels", request, HttpStatus.CREATED);
    }
}

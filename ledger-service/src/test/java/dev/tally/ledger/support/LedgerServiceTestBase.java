package dev.tally.ledger.support;

import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * Runs ledger-service against the real broker and a fresh real PostgreSQL database per test class. Contexts are
 * closed after each class: two live contexts would share the command topic's consumer group and split its work.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tally.ledger.expiry-scan-ms=200",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.org.axonframework=WARN"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class LedgerServiceTestBase {

    protected static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    protected static LedgerKafkaClient ledger;

    @LocalServerPort
    protected int port;
    private final Map<String, WebTestClient> clients = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        GovernanceKeys.prepare(INFRA);
        PostgresDatabase db = INFRA.newDatabase("ledger");
        INFRA.springProperties(db).forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void connectClient() {
        // The application context (started before @BeforeAll of the class) has created the topics by now.
        INFRA.createTopics(8, "tally.ledger.commands", "tally.ledger.replies", "tally.ledger.events");
        ledger = new LedgerKafkaClient(INFRA.kafkaBootstrapServers());
    }

    /** The HTTP API as a platform admin, once ledger-service has read the admin keys. */
    protected WebTestClient http() {
        return http(GovernanceKeys.PLATFORM_KEY);
    }

    /** The HTTP API with {@code key}, once ledger-service knows it (a probe of an unknown ledger answers 404). */
    protected WebTestClient http(String key) {
        return clients.computeIfAbsent(key, k -> {
            WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + k)
                    .responseTimeout(Duration.ofSeconds(30)).build();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.get()
                    .uri("/ledgers/{id}", "org-probe-" + Commands.id())
                    .exchange().returnResult(String.class).getStatus().value() == 404);
            return client;
        });
    }

    /** No key at all. */
    protected WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void closeClient() throws InterruptedException {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }
}

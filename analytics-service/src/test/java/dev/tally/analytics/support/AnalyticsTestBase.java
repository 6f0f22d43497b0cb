package dev.tally.analytics.support;

import dev.tally.events.governance.AdminRole;
import dev.tally.events.topic.Topics;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.TallyInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * analytics-service in this JVM against the real broker and a real PostgreSQL database. Every IT class shares one
 * application context (same configuration, so Spring caches it) and keeps to organisations of its own, so classes
 * cannot see each other's data. The consumer group is new per JVM, so the projections read the topics from zero.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tally.analytics.lag-interval=300ms")
public abstract class AnalyticsTestBase {

    protected static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    private static PostgresDatabase database;
    private static String consumerGroup;
    private static TestEvents events;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        synchronized (AnalyticsTestBase.class) {
            if (database == null) {
                database = INFRA.newDatabase("analytics");
                consumerGroup = "analytics-it-" + UUID.randomUUID();
                INFRA.createTopics(2, Topics.LEDGER_EVENTS.name(), Topics.GATEWAY_REQUESTS.name(),
                        Topics.GOVERNANCE_STATE.name());
            }
        }
        INFRA.springProperties(database).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tally.analytics.consumer-group", () -> consumerGroup);
    }

    protected static PostgresDatabase database() {
        return database;
    }

    protected static synchronized TestEvents events() {
        if (events == null) {
            events = new TestEvents(INFRA.kafkaBootstrapServers());
        }
        return events;
    }

    /**
     * A new admin key, published on the state topic as governance does, and awaited until this service accepts it:
     * the state consumer applies records asynchronously, and a test must not race it.
     */
    protected String adminKey(String orgId, AdminRole role) {
        String key = events().adminKey(orgId, role);
        Api api = as(key);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/me").status() == 200);
        return key;
    }

    protected Api as(String key) {
        return new Api(WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30))
                .build(), key);
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }
}

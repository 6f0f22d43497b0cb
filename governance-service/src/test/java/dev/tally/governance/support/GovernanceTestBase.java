package dev.tally.governance.support;

import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.Base64;

/**
 * governance-service in this JVM against the real broker, a fresh real PostgreSQL database per class, and the real
 * ledger-service as its own process. Calls go over HTTP, as an administrator's would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tally.governance.ledger-reply-timeout=15s",
        "tally.governance.ledger-resend-after=2s",
        "tally.governance.state-relay-interval=200ms"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class GovernanceTestBase {

    protected static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    protected static final String PLATFORM_KEY = "tadm_integration-test-platform-admin-key";
    protected static final String CREDENTIAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    /**
     * Key id "0", the id of values sealed before key ids existed, still configured but no longer current, as during
     * a rotation: values under it open, none is sealed.
     */
    protected static final String RETIRING_CREDENTIAL_KEY = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
            31, 32});
    protected static ServiceProcess ledger;
    private static PostgresDatabase database;
    private static StateTopicView stateTopic;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ledger = LedgerProcess.get(INFRA);
        PostgresDatabase db = INFRA.newDatabase("governance");
        database = db;
        INFRA.springProperties(db).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tally.governance.ledger-url", ledger::baseUrl);
        registry.add("tally.governance.bootstrap-admin-key", () -> PLATFORM_KEY);
        registry.add("tally.governance.credential-key",
                () -> "0:" + RETIRING_CREDENTIAL_KEY + ",current:" + CREDENTIAL_KEY);
        registry.add("tally.governance.credential-key-current", () -> "current");
    }

    @AfterAll
    static void closeStateTopic() throws InterruptedException {
        if (stateTopic != null) {
            stateTopic.close();
            stateTopic = null;
        }
    }

    /** The test class's governance database, for tests that must act on it beside the service. */
    protected static PostgresDatabase database() {
        return database;
    }

    /** Opened on first use, when the application has created the topic. */
    protected static synchronized StateTopicView stateTopic() {
        if (stateTopic == null) {
            stateTopic = new StateTopicView(INFRA.kafkaBootstrapServers());
        }
        return stateTopic;
    }

    protected Admin as(String key) {
        return new Admin(WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build(), key);
    }

    protected Admin platform() {
        return as(PLATFORM_KEY);
    }

    /** An organisation of its own for one test, with credits bought into its pool. */
    protected TestOrg newOrg(String name, long credits) {
        JsonNode org = platform().create("/orgs", Map.of("name", name + " " + UUID.randomUUID()));
        TestOrg created = new TestOrg(org.path("id").asString(), org.path("default_workspace_id").asString(),
                as(org.path("owner_key").path("plaintext_key").asString()));
        if (credits > 0) {
            Admin.json(created.owner().post("/credits/purchase", Map.of("org_id", created.id(), "amount", credits,
                    "idempotency_key", "fixture")), HttpStatus.CREATED);
        }
        return created;
    }

    public record TestOrg(String id, String defaultWorkspaceId, Admin owner) {
    }
}

package dev.tally.ledger.support;

import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        PostgresDatabase db = INFRA.newDatabase("ledger");
        INFRA.springProperties(db).forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void connectClient() {
        // The application context (started before @BeforeAll of the class) has created the topics by now.
        INFRA.createTopics(8, "tally.ledger.commands", "tally.ledger.replies", "tally.ledger.events");
        ledger = new LedgerKafkaClient(INFRA.kafkaBootstrapServers());
    }

    @AfterAll
    static void closeClient() throws InterruptedException {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }
}

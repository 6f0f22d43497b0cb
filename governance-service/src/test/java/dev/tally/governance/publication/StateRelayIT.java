package dev.tally.governance.publication;

import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.TallyInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The state relay against a real PostgreSQL. Regression found by the whole-product benchmark: with governance writes
 * in flight, the relay deleted "seq <= the last seq it sent", which also removed a row whose transaction had taken a
 * lower seq but committed after the relay read the outbox, unsent: the gateway never learned of that key ("The
 * key's owner no longer exists.", for good).
 */
class StateRelayIT {

    private static final TallyInfrastructure INFRA = TallyInfrastructure.shared();

    @Test
    void a_row_committed_after_the_relay_read_the_outbox_with_a_lower_seq_is_sent_not_deleted() throws Exception {
        PostgresDatabase db = INFRA.newDatabase("relay");
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/governance").load().migrate();
        ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, db.username())
                .option(ConnectionFactoryOptions.PASSWORD, db.password()).build());

        try (Connection slow = db.dataSource().getConnection(); Connection quick = db.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            stage(slow, "key-committed-late"); // takes the lower seq, commits later
            stage(quick, "key-committed-first");

            List<String> sent = new CopyOnWriteArrayList<>();
            KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())) {
                @Override
                public CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
                    sent.add(record.key());
                    try {
                        // The slow transaction commits while the relay waits for Kafka's acknowledgement.
                        slow.commit();
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return CompletableFuture.completedFuture(null);
                }
            };
            StateRelay relay = new StateRelay(DatabaseClient.create(factory),
                    TransactionalOperator.create(new R2dbcTransactionManager(factory)), kafka);

            relay.wake();
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.contains("key-committed-first"));
            await("the late row is sent, not dropped").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        relay.wake();
                        return sent.contains("key-committed-late");
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> outboxSize(quick) == 0);
            assertThat(sent).containsExactlyInAnyOrder("key-committed-first", "key-committed-late");
        }
    }

    private static void stage(Connection connection, String key) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into state_outbox (state_key, ce_type, payload, staged_at) values (?, ?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, "tally.governance.OrgState.v1");
            insert.setBytes(3, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            insert.setObject(4, OffsetDateTime.now());
            insert.executeUpdate();
        }
    }

    private static int outboxSize(Connection connection) throws Exception {
        try (var count = connection.createStatement().executeQuery("select count(*) from state_outbox")) {
            count.next();
            return count.getInt(1);
        }
    }
}

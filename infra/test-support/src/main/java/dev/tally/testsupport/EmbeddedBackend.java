package dev.tally.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A KRaft broker inside this JVM and a PostgreSQL server process run from bundled binaries. */
final class EmbeddedBackend implements InfrastructureBackend {

    // Everything a single broker needs for transactions, idempotent producers, consumer groups and
    // share groups: the internal topics default to replication factor 3 and would never come up.
    // Internal topics get few partitions because the first transactional producer or consumer
    // group otherwise waits for 50 partitions to be created.
    static final Map<String, String> BROKER_PROPERTIES = Map.ofEntries(
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", "4"),
            Map.entry("group.initial.rebalance.delay.ms", "0"));

    // The broker publishes its address into this system property; the default would be
    // spring.kafka.bootstrap-servers, which would silently redirect every Spring context in the JVM
    // and make the embedded backend behave differently from the container one.
    private static final String BROKER_LIST_PROPERTY = "tally.test.kafka.bootstrap-servers";

    private static final String HOST = "localhost";
    private static final String SUPERUSER = "postgres";
    // initdb runs with trust authentication, so any password works; a non-empty one keeps
    // drivers that insist on a password happy.
    private static final String PASSWORD = "postgres";

    private final EmbeddedKafkaKraftBroker kafka;
    private final EmbeddedPostgres postgres;
    private final String description;

    private EmbeddedBackend(EmbeddedKafkaKraftBroker kafka, EmbeddedPostgres postgres, String description) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.description = description;
    }

    static EmbeddedBackend start() {
        KafkaLogLevels.quietUnlessConfigured();
        // PostgreSQL is a separate process (initdb is mostly disk and fork work), so starting it
        // alongside the broker roughly halves the wait.
        CompletableFuture<Timed<EmbeddedPostgres>> postgres =
                CompletableFuture.supplyAsync(() -> Timed.run(EmbeddedBackend::startPostgres), daemonExecutor());
        Timed<EmbeddedKafkaKraftBroker> kafka;
        try {
            kafka = Timed.run(EmbeddedBackend::startKafka);
        } catch (RuntimeException e) {
            postgres.thenAccept(started -> closeQuietly(started.value()));
            throw e;
        }
        Timed<EmbeddedPostgres> pg;
        try {
            pg = postgres.join();
        } catch (CompletionException e) {
            kafka.value().destroy();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        String description = "embedded Kafka (KRaft) at %s, started in %d ms; embedded PostgreSQL at %s:%d, started in %d ms"
                .formatted(kafka.value().getBrokersAsString(), kafka.millis(), HOST, pg.value().getPort(), pg.millis());
        return new EmbeddedBackend(kafka.value(), pg.value(), description);
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
        broker.brokerProperties(BROKER_PROPERTIES);
        broker.brokerListProperty(BROKER_LIST_PROPERTY);
        broker.afterPropertiesSet();
        return broker;
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder()
                    // Our shutdown hook stops it after Kafka; a second hook would race ours.
                    .setRegisterShutdownHook(false)
                    // Durability is worthless for throwaway test data and costs seconds per suite.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    private static Executor daemonExecutor() {
        return task -> {
            Thread thread = new Thread(task, "tally-embedded-postgres-start");
            thread.setDaemon(true);
            thread.start();
        };
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    @Override
    public PostgresDatabase maintenanceDatabase() {
        return new PostgresDatabase("postgres", HOST, postgres.getPort(), SUPERUSER, PASSWORD);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void stop() {
        try {
            kafka.destroy();
        } finally {
            closeQuietly(postgres);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("[tally-test-infra] could not stop embedded PostgreSQL: " + e);
        }
    }

    private record Timed<T>(T value, long millis) {
        static <T> Timed<T> run(Supplier<T> action) {
            long start = System.nanoTime();
            T value = action.get();
            return new Timed<>(value, (System.nanoTime() - start) / 1_000_000);
        }
    }
}

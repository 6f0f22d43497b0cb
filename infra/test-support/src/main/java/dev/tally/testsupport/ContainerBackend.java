package dev.tally.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Kafka and PostgreSQL in Docker, for machines that have an engine and want production images. */
final class ContainerBackend implements InfrastructureBackend {

    private static final String POSTGRES_IMAGE = "postgres:17-alpine";
    private static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "postgres";

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final String description;

    private ContainerBackend(KafkaContainer kafka, PostgreSQLContainer postgres, String description) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.description = description;
    }

    static ContainerBackend start() {
        // Testcontainers already sets the offsets/transaction-log replication to 1 and the
        // rebalance delay to 0; the rest mirrors EmbeddedBackend so both backends behave alike.
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "4");
        // Connecting as the postgres superuser is what lets newDatabase() issue CREATE DATABASE;
        // max_connections matches the embedded server because cached Spring contexts each hold a pool.
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName("postgres")
                .withUsername(SUPERUSER)
                .withPassword(PASSWORD)
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300");
        long start = System.nanoTime();
        try {
            Startables.deepStart(kafka, postgres).join();
        } catch (RuntimeException e) {
            kafka.stop();
            postgres.stop();
            throw e;
        }
        String description = "Testcontainers %s at %s and %s at %s:%d, started in %d ms".formatted(
                KAFKA_IMAGE, kafka.getBootstrapServers(), POSTGRES_IMAGE, postgres.getHost(),
                postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), (System.nanoTime() - start) / 1_000_000);
        return new ContainerBackend(kafka, postgres, description);
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public PostgresDatabase maintenanceDatabase() {
        return new PostgresDatabase("postgres", postgres.getHost(),
                postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), SUPERUSER, PASSWORD);
    }

    @Override
    public String description() {
        return description;
    }

    // Stopping the container would free its mapped port, and Docker may map another one on start; paused, the server
    // keeps its address and data but answers nothing, which is the outage a network partition gives.
    @Override
    public void stopPostgresServer() {
        postgres.getDockerClient().pauseContainerCmd(postgres.getContainerId()).exec();
    }

    @Override
    public void startPostgresServer() {
        postgres.getDockerClient().unpauseContainerCmd(postgres.getContainerId()).exec();
    }

    @Override
    public void stop() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}

package dev.tally.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One real Kafka broker and one real PostgreSQL server per test JVM, shared by every test class,
 * because starting them costs seconds while databases and topics are cheap to make per test.
 */
public final class TallyInfrastructure {

    static final String MODE_VARIABLE = "TALLY_TEST_INFRA";
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    // PostgreSQL silently truncates longer identifiers, which could make two names collide.
    private static final int MAX_IDENTIFIER_LENGTH = 63;

    private static TallyInfrastructure shared;
    private static RuntimeException startupFailure;

    private final InfrastructureBackend backend;
    private final Admin admin;
    private final AtomicInteger databaseCounter = new AtomicInteger();

    private TallyInfrastructure(InfrastructureBackend backend) {
        this.backend = backend;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backend.kafkaBootstrapServers()));
    }

    public static synchronized TallyInfrastructure shared() {
        // A failed start is remembered so later test classes fail fast with the original cause
        // instead of each waiting for another doomed start.
        if (startupFailure != null) {
            throw new IllegalStateException("Test infrastructure failed to start earlier in this JVM", startupFailure);
        }
        if (shared == null) {
            try {
                InfrastructureBackend backend = startBackend();
                try {
                    shared = new TallyInfrastructure(backend);
                } catch (RuntimeException e) {
                    backend.stop();
                    throw e;
                }
            } catch (RuntimeException e) {
                startupFailure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "tally-test-infra-shutdown"));
            System.err.println("[tally-test-infra] " + shared.backend.description());
        }
        return shared;
    }

    private static InfrastructureBackend startBackend() {
        String mode = System.getenv(MODE_VARIABLE);
        if (mode == null || mode.isBlank() || mode.equalsIgnoreCase("embedded")) {
            return EmbeddedBackend.start();
        }
        if (!mode.equalsIgnoreCase("testcontainers")) {
            // A typo would otherwise silently test against the other backend.
            throw new IllegalStateException(MODE_VARIABLE + " must be 'embedded' or 'testcontainers', was '" + mode + "'");
        }
        if (DockerSupport.isDockerAvailable()) {
            return ContainerBackend.start();
        }
        System.err.println("[tally-test-infra] " + MODE_VARIABLE
                + "=testcontainers but no Docker engine is reachable; falling back to embedded Kafka and PostgreSQL");
        return EmbeddedBackend.start();
    }

    public String kafkaBootstrapServers() {
        return backend.kafkaBootstrapServers();
    }

    public PostgresDatabase newDatabase(String prefix) {
        PostgresDatabase maintenance = backend.maintenanceDatabase();
        String name = uniqueDatabaseName(prefix);
        try (Connection connection = maintenance.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            // template0 guarantees an empty database even if someone altered template1.
            statement.execute("CREATE DATABASE \"" + name + "\" TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return new PostgresDatabase(name, maintenance.host(), maintenance.port(), maintenance.username(), maintenance.password());
    }

    private String uniqueDatabaseName(String prefix) {
        String sanitized = (prefix == null ? "" : prefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (sanitized.isEmpty()) {
            sanitized = "db";
        }
        // The counter makes names unique within the JVM; the random part keeps them unique when
        // several JVMs share a server (e.g. a long-lived container).
        String suffix = "_%d_%06x".formatted(databaseCounter.incrementAndGet(), ThreadLocalRandom.current().nextInt(0x1000000));
        int room = MAX_IDENTIFIER_LENGTH - suffix.length();
        return (sanitized.length() > room ? sanitized.substring(0, room) : sanitized) + suffix;
    }

    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).distinct().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name, e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not create topic " + name, e);
            }
        });
        awaitLeaders(topics.stream().map(NewTopic::name).toList());
    }

    // createTopics completes once the controller has the topic, slightly before the broker can
    // serve it; a producer racing that window logs UNKNOWN_TOPIC_OR_PARTITION warnings.
    private void awaitLeaders(List<String> names) {
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
            } catch (Exception e) {
                last = e;
            }
            pause();
        }
        throw new IllegalStateException("Topics " + names + " did not become available within " + TOPIC_TIMEOUT, last);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topics", e);
        }
    }

    /**
     * Stops the shared PostgreSQL server: every database of every test in this JVM goes with it, so a test that calls
     * this must bring it back with {@link #startPostgres()} in a {@code finally}. Existing connections break and new
     * ones are refused, as in a database restart or crash.
     */
    public void stopPostgres() {
        backend.stopPostgresServer();
    }

    /** Starts the shared PostgreSQL server again, on the same port with the same data, and returns once it accepts. */
    public void startPostgres() {
        backend.startPostgresServer();
    }

    public Map<String, String> springProperties(PostgresDatabase db) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        properties.put("spring.datasource.url", db.jdbcUrl());
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        properties.put("spring.r2dbc.url", db.r2dbcUrl());
        properties.put("spring.r2dbc.username", db.username());
        properties.put("spring.r2dbc.password", db.password());
        properties.put("spring.flyway.url", db.jdbcUrl());
        properties.put("spring.flyway.user", db.username());
        properties.put("spring.flyway.password", db.password());
        return Collections.unmodifiableMap(properties);
    }

    private void stop() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            backend.stop();
        }
    }
}

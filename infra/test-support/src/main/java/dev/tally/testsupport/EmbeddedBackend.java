package dev.tally.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
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
    // The server checks passwords (scram-sha-256), so another user of the machine cannot connect
    // as superuser while tests run; a new one for every test JVM, handed to the services through
    // PostgresDatabase like every other coordinate.
    private static final String PASSWORD = randomPassword();

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
        Path passwordFile = null;
        try {
            passwordFile = Files.createTempFile("tally-test-postgres", ".password",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, PASSWORD + "\n");
            return EmbeddedPostgres.builder()
                    // zonky runs initdb with "-A trust" and passes its "locale" settings on as
                    // --name=value after it: these make the cluster check passwords from the start, the
                    // superuser's read from a 0600 file rather than a command line.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    // zonky's readiness check connects as the superuser.
                    .setConnectConfig("password", PASSWORD)
                    // Our shutdown hook stops it after Kafka; a second hook would race ours.
                    .setRegisterShutdownHook(false)
                    // Durability is worthless for throwaway test data and costs seconds per suite.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        } finally {
            deleteQuietly(passwordFile);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("[tally-test-infra] could not delete " + file + ": " + e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /** A fast shutdown (SIGINT to the postmaster): sessions are cut at once, as in a restart by an operator. */
    @Override
    public void stopPostgresServer() {
        Path pidFile = dataDirectory().resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle server = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL (pid " + pid + ") is not running"));
            run(List.of("kill", "-INT", Long.toString(pid)));
            server.onExit().get(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL did not stop within 60 s", e);
        }
    }

    /**
     * Starts the server with the options its first start had: PostgreSQL writes its command line to
     * {@code postmaster.opts} in the data directory (the port, fsync off, ...), so the restarted server is the same one,
     * at the same port. Returns once it accepts connections.
     */
    @Override
    public void startPostgresServer() {
        Path data = dataDirectory();
        try {
            String opts = Files.readString(data.resolve("postmaster.opts")).trim();
            List<String> command = new ArrayList<>();
            // As zonky starts it: PostgreSQL refuses to run as root, and unshare -U runs it as nobody when we are root.
            if (LinuxUtils.isUnshareAvailable()) {
                command.addAll(List.of("unshare", "-U"));
            }
            // Each word is double-quoted: "/path/bin/postgres" "-D" "/data" "-p" "5432" ...
            java.util.regex.Matcher word = java.util.regex.Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(opts);
            while (word.find()) {
                command.add(word.group(1) != null ? word.group(1) : word.group(2));
            }
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("restart.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL again", e);
        }
        awaitConnections();
    }

    private void awaitConnections() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = maintenanceDatabase().dataSource().getConnection()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within 60 s of its start", last);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    // zonky's EmbeddedPostgres starts and stops the server only as a whole, so the outage is made with signals and
    // the postgres binary on the data directory it keeps; close() at the end stops whichever server then runs there.
    private Path dataDirectory() {
        return postgresFile("dataDirectory").toPath();
    }

    private File postgresFile(String field) {
        try {
            Field declared = EmbeddedPostgres.class.getDeclaredField(field);
            declared.setAccessible(true);
            return (File) declared.get(postgres);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This version of zonky's EmbeddedPostgres has no field " + field, e);
        }
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

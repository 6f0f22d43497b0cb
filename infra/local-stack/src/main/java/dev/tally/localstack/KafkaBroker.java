package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), run from the kafka_2.13 jars as its own
 * process. Its storage is formatted once; the cluster id, the topics and the offsets live in {@code <data>/kafka}
 * across restarts. With a SCRAM password it listens with SASL/SCRAM-SHA-512 only (clients and the broker itself) and
 * its storage is formatted with the user {@value Secrets#KAFKA_USER}; the password reaches the format step through
 * the environment ({@link ScramFormat}), since command lines go into the log. With a {@link BrokerCertificate} the
 * client listener speaks TLS (SSL, or SASL_SSL with SCRAM too).
 */
final class KafkaBroker {

    static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    /** Written once the storage holds the SCRAM user: storage formatted without one cannot take --kafka-sasl. */
    private static final String SCRAM_MARKER = "scram-user";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

    private final Path directory;
    private final Path libDirectory;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final String marker;
    /** Null: a plaintext listener, no authentication. */
    private final String scramPassword;
    /** Null: no TLS. */
    private final BrokerCertificate certificate;
    private ManagedProcess process;
    private boolean retired;

    KafkaBroker(Path directory, Path libDirectory, int port, int controllerPort, Path logFile, String marker,
            String scramPassword, BrokerCertificate certificate) {
        this.directory = directory;
        this.libDirectory = libDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
        this.marker = marker;
        this.scramPassword = scramPassword;
        this.certificate = certificate;
    }

    /** How clients authenticate to this broker and check its certificate. */
    KafkaSecurity clientSecurity() {
        Map<String, String> settings = new HashMap<>();
        settings.put(KafkaSecurity.PROTOCOL, protocol());
        if (scramPassword != null) {
            settings.putAll(Map.of(KafkaSecurity.MECHANISM, "SCRAM-SHA-512", KafkaSecurity.USERNAME,
                    Secrets.KAFKA_USER, KafkaSecurity.PASSWORD, scramPassword));
        }
        if (certificate != null) {
            settings.putAll(Map.of(KafkaSecurity.TRUSTSTORE_LOCATION, certificate.truststore().toString(),
                    KafkaSecurity.TRUSTSTORE_PASSWORD, certificate.password(),
                    KafkaSecurity.TRUSTSTORE_TYPE, "PKCS12"));
        }
        return KafkaSecurity.from(settings::get);
    }

    /** The client listener's protocol, which is also its name. */
    private String protocol() {
        if (certificate == null) {
            return scramPassword == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        }
        return scramPassword == null ? "SSL" : "SASL_SSL";
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers. */
    void start() {
        awaitReady(launch());
    }

    private synchronized ManagedProcess launch() {
        if (retired) {
            throw new StackException("the stack is stopping");
        }
        if (process != null && process.isAlive()) {
            return process;
        }
        if (!Files.isDirectory(libDirectory)) {
            throw new StackException("no Kafka classpath at " + libDirectory
                    + " (build it: ./mvnw -DskipTests package -pl infra/local-stack -am)");
        }
        Path properties = writeConfiguration();
        formatOnce(properties);
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable()));
        command.addAll(JVM_OPTIONS);
        command.add("-Dlogback.configurationFile=" + directory.resolve("logback.xml"));
        command.add(marker);
        command.addAll(List.of("-cp", classpath(), MAIN_CLASS, properties.toString()));
        process = ManagedProcess.start("kafka", command, Map.of(), logFile);
        return process;
    }

    /** The broker's server.properties. */
    String serverProperties() {
        return """
                # Written by the local stack on every start; edit StackOptions or KafkaBroker, not this file.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                controller.listener.names=CONTROLLER
                %4$s
                log.dirs=%3$s
                num.partitions=4
                auto.create.topics.enable=true
                # One node: every internal topic has one replica, or it never comes up.
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=8
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=8
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, directory.resolve("data"), listeners());
    }

    private Path writeConfiguration() {
        String configuration = serverProperties();
        String logback = """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka.common.config" level="WARN"/>
                  <logger name="kafka.server.KafkaConfig" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """;
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("server.properties");
            // The user's alone: with SASL it holds the broker's own SCRAM password.
            OwnerOnly.write(file, configuration);
            Files.writeString(directory.resolve("logback.xml"), logback, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Kafka's configuration in " + directory, e);
        }
    }

    /**
     * The client listener: plaintext, or SASL/SCRAM-SHA-512 for clients and for the broker's own connections, over TLS
     * with a certificate (the controller's listener stays plaintext on loopback: only this broker talks to it).
     */
    private String listeners() {
        String protocol = protocol();
        StringBuilder listeners = new StringBuilder("""
                listeners=%1$s://localhost:%2$d,CONTROLLER://localhost:%3$d
                advertised.listeners=%1$s://localhost:%2$d
                listener.security.protocol.map=%1$s:%1$s,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=%1$s""".formatted(protocol, port, controllerPort));
        if (scramPassword != null) {
            listeners.append("""

                    sasl.enabled.mechanisms=SCRAM-SHA-512
                    sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
                    listener.name.%s.scram-sha-512.sasl.jaas.config=%s""".formatted(
                    protocol.toLowerCase(Locale.ROOT), clientSecurity().clientProperties().get("sasl.jaas.config")));
        }
        if (certificate != null) {
            // The broker's own connections to itself check its certificate like any client.
            listeners.append("""

                    ssl.keystore.location=%1$s
                    ssl.keystore.type=PKCS12
                    ssl.keystore.password=%3$s
                    ssl.key.password=%3$s
                    ssl.truststore.location=%2$s
                    ssl.truststore.type=PKCS12
                    ssl.truststore.password=%3$s""".formatted(certificate.keystore(), certificate.truststore(),
                    certificate.password()));
        }
        return listeners.toString();
    }

    /** KRaft storage is formatted with a cluster id once; formatting again would refuse or lose the topics. */
    private void formatOnce(Path properties) {
        Path scramMarker = directory.resolve(SCRAM_MARKER);
        if (Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            if (scramPassword != null && !Files.exists(scramMarker)) {
                throw new StackException("the Kafka data in " + directory + " was made without --kafka-sasl and has "
                        + "no SCRAM user; start with --kafka-sasl --wipe (which deletes all data) or without "
                        + "--kafka-sasl");
            }
            return;
        }
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xmx256m",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml"), marker, "-cp"));
        Map<String, String> environment = Map.of();
        if (scramPassword == null) {
            command.addAll(List.of(classpath(), STORAGE_TOOL));
        } else {
            command.addAll(List.of(classpath() + java.io.File.pathSeparator + ScramFormat.codeLocation(),
                    ScramFormat.class.getName()));
            environment = Map.of(ScramFormat.PASSWORD_VARIABLE, scramPassword);
        }
        command.addAll(List.of("format", "-t", clusterId(), "-c", properties.toString()));
        ManagedProcess format = ManagedProcess.start("kafka-storage-format", command, environment, logFile);
        if (!format.awaitExit(Duration.ofSeconds(60)) || format.exitValue() != 0) {
            format.kill();
            throw new StackException("formatting Kafka's storage failed:\n" + format.logTail());
        }
        if (scramPassword != null) {
            OwnerOnly.write(scramMarker, Secrets.KAFKA_USER + "\n");
        }
    }

    private String clusterId() {
        Path file = directory.resolve("cluster.id");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).strip();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write " + file, e);
        }
    }

    private String classpath() {
        return libDirectory.toAbsolutePath() + "/*";
    }

    private void awaitReady(ManagedProcess broker) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Map<String, Object> config = clientSecurity().addTo(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new StackException("Kafka exited with code " + broker.exitValue()
                            + " while starting. Last lines of " + logFile + ":\n" + broker.logTail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while waiting for Kafka");
                } catch (Exception e) {
                    if (e.getCause() instanceof SaslAuthenticationException) {
                        // Waiting longer cannot help: the broker's SCRAM user has another password.
                        broker.kill();
                        throw new StackException("Kafka refused the stack's SCRAM user " + Secrets.KAFKA_USER + ": "
                                + e.getCause().getMessage() + " (kafka_password in secrets.properties no longer "
                                + "matches the broker's data; ./tally up --kafka-sasl --wipe starts afresh)");
                    }
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    broker.kill();
                    throw new StackException("Kafka was not ready within " + STARTUP_TIMEOUT.toSeconds()
                            + " s. Last lines of " + logFile + ":\n" + broker.logTail());
                }
                Sleep.millis(200);
            }
        }
    }

    /** A clean shutdown (SIGTERM): the broker flushes and closes its logs. */
    synchronized void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
        }
    }

    /** Stops it for good: a start still under way fails instead of leaving a broker behind. */
    synchronized void retire() {
        retired = true;
        stop();
    }

    /** SIGKILL, as a crash would; the next start recovers the logs. */
    synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }
}

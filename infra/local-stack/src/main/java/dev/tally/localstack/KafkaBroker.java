package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), run from the kafka_2.13 jars as its own
 * process. Its storage is formatted once; the cluster id, the topics and the offsets live in {@code <data>/kafka}
 * across restarts.
 */
final class KafkaBroker {

    static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

    private final Path directory;
    private final Path libDirectory;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final String marker;
    private ManagedProcess process;
    private boolean retired;

    KafkaBroker(Path directory, Path libDirectory, int port, int controllerPort, Path logFile, String marker) {
        this.directory = directory;
        this.libDirectory = libDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
        this.marker = marker;
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

    private Path writeConfiguration() {
        String configuration = """
                # Written by the local stack on every start; edit StackOptions or KafkaBroker, not this file.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
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
                """.formatted(port, controllerPort, directory.resolve("data"));
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
            Files.writeString(file, configuration, StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("logback.xml"), logback, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Kafka's configuration in " + directory, e);
        }
    }

    /** KRaft storage is formatted with a cluster id once; formatting again would refuse or lose the topics. */
    private void formatOnce(Path properties) {
        if (Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), "-Xmx256m",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml"), marker, "-cp", classpath(),
                STORAGE_TOOL, "format", "-t", clusterId(), "-c", properties.toString()));
        ManagedProcess format = ManagedProcess.start("kafka-storage-format", command, Map.of(), logFile);
        if (!format.awaitExit(Duration.ofSeconds(60)) || format.exitValue() != 0) {
            format.kill();
            throw new StackException("formatting Kafka's storage failed:\n" + format.logTail());
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
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
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

package dev.tally.ledger.bench;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * More ledger-service processes beside the benchmark's own, each started from the service's jar on the same broker
 * and database: they join the command topic's consumer group, so the organisations' partitions spread over all of
 * them, as replicas do in production. Their CPU is read from {@code /proc} (the whole process, its JIT and garbage
 * collector included, unlike the in-process service's Java threads).
 */
final class OtherLedgerProcesses implements AutoCloseable {

    /** The service's jar, from the repository's root (where {@code ./mvnw -pl ledger-service exec:java} runs). */
    private static final Path JAR = Path.of("ledger-service", "target", "ledger-service-0.1.0-SNAPSHOT.jar");
    private static final long TICKS_PER_SECOND = 100;

    private final List<Process> processes = new ArrayList<>();
    private long startTicks;

    /** Starts {@code count} processes with these Spring properties and waits until each is ready (its log says so). */
    static OtherLedgerProcesses start(int count, Map<String, Object> properties) throws IOException {
        OtherLedgerProcesses others = new OtherLedgerProcesses();
        if (count == 0) {
            return others;
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run ./mvnw -q install -DskipTests");
        }
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx1g", "-XX:+UseParallelGC", "-jar", JAR.toString()));
            properties.forEach((key, value) -> command.add("--" + key + "=" + value));
            command.add("--logging.level.dev.tally.ledger.LedgerServiceApplication=INFO");
            Path log = Files.createTempFile("ledger-bench-" + (i + 2) + "-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            others.processes.add(process);
            awaitReady(process, log);
            System.out.printf("ledger-service process %d: pid %d, log %s%n", i + 2, process.pid(), log);
        }
        return others;
    }

    private static void awaitReady(Process process, Path log) {
        Awaitility.await("ledger-service process ready; see " + log).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("ledger-service process ended at start; see " + log);
                    }
                    return Files.readString(log).contains("Started LedgerServiceApplication");
                });
    }

    void startCpu() {
        startTicks = ticks();
    }

    /** CPU nanoseconds of these processes since {@link #startCpu}. */
    long cpuNanos() {
        return (ticks() - startTicks) * (1_000_000_000L / TICKS_PER_SECOND);
    }

    boolean any() {
        return !processes.isEmpty();
    }

    private long ticks() {
        long ticks = 0;
        for (Process process : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                // ended: its last times are lost, and the figure says so by being low
            }
        }
        return ticks;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
    }
}

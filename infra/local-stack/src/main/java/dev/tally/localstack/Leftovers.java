package dev.tally.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Processes a previous launcher started and could not stop because it was killed (kill -9, a closed laptop lid).
 * They are found by the marker on their command line, never by name, so nothing else is ever touched, and only after
 * the data folder's lock proved that no launcher uses that folder any more.
 */
final class Leftovers {

    private static final Duration GRACE = Duration.ofSeconds(20);

    private Leftovers() {
    }

    /** A JVM option naming the data folder, carried by every process the stack starts. */
    static String marker(Path dataDirectory) {
        return "-Dtally.local-stack=" + dataDirectory.toAbsolutePath().normalize();
    }

    static void stopAll(Path dataDirectory, Consumer<String> report) {
        String marker = marker(dataDirectory);
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> Arrays.asList(process.info().arguments().orElse(new String[0])).contains(marker))
                .toList();
        // Services before the broker, the way a clean stop goes: the broker is the one whose name says kafka.
        List<ProcessHandle> ordered = found.stream()
                .sorted((a, b) -> Boolean.compare(isBroker(a), isBroker(b)))
                .toList();
        for (ProcessHandle process : ordered) {
            report.accept("stopping a process left over by an earlier run (pid " + process.pid() + ", "
                    + (isBroker(process) ? "Kafka" : "a service") + ")");
            stop(process);
        }
        stopPostgres(dataDirectory.resolve("postgres"), report);
    }

    private static boolean isBroker(ProcessHandle process) {
        return Arrays.asList(process.info().arguments().orElse(new String[0])).contains(KafkaBroker.MAIN_CLASS);
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    /** pg_ctl runs the postmaster in its own session, so it outlives a killed launcher; its pid is in postmaster.pid. */
    private static void stopPostgres(Path dataDirectory, Consumer<String> report) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(process -> process.info().command().orElse("").endsWith("postgres"));
        if (postmaster.isEmpty()) {
            return;
        }
        report.accept("stopping PostgreSQL left over by an earlier run (pid " + postmaster.get().pid() + ")");
        try {
            // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for clients that are gone anyway.
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.get().pid())).start().waitFor();
            postmaster.get().onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            postmaster.get().destroyForcibly();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return Optional.of(Long.parseLong(first.strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}

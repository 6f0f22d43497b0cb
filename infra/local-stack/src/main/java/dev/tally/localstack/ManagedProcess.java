package dev.tally.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One OS process of the stack (the broker or a service): output appended to its log file, and its own session, so
 * Ctrl-C in the terminal reaches only the launcher, which then stops everything in order. Its command line carries
 * {@link Leftovers#marker}, so a later start can find it if the launcher was killed before it could stop it.
 */
final class ManagedProcess {

    private static final int LOG_TAIL_LINES = 30;
    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid"));

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path logFile) {
        List<String> full = new ArrayList<>();
        if (HAS_SETSID) {
            // The JVM's children are never process-group leaders, so setsid execs in place: the pid stays the same.
            full.add("setsid");
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "%n==== %s: starting %s at %s ====%n".formatted(Instant.now(), name,
                            String.join(" ", command)), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new ManagedProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new StackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM, then SIGKILL if it is still running after {@code grace}. Idempotent. */
    void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(grace)) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
    }

    /** SIGKILL, as a crash would. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    String logTail() {
        return logTail(logFile, LOG_TAIL_LINES);
    }

    static String logTail(Path file, int lines) {
        Deque<String> tail = new ArrayDeque<>(lines);
        // Lenient decoding: a process may print anything, and a failure message must never fail itself.
        try (Stream<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
        return String.join("\n", tail);
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

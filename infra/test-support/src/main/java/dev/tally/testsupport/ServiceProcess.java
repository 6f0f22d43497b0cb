package dev.tally.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spring Boot service started from its executable jar as a separate OS process, for tests that need the real
 * service (its own JVM, its own classpath, crashes that really kill it). Output goes to
 * {@code target/service-logs/<name>.log} (overwritten on each start). {@link #start} returns once
 * {@code /actuator/health} answers 200; {@link #close} stops the process, and a JVM shutdown hook does the same
 * if the test never calls it, so no service outlives the test JVM.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;
    private static final Path LOG_DIRECTORY = Path.of("target", "service-logs");

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private ServiceProcess(String name, Process process, int port, Path logFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "service-process-shutdown-" + name);
    }

    /**
     * Runs {@code <this JVM's java> -jar <executableJar> --server.port=<port> <args...>} with {@code env} added to
     * this JVM's environment, and waits until the service is healthy.
     *
     * @throws IllegalStateException if the process exits or is not healthy within {@link #STARTUP_TIMEOUT}; the
     *     message carries the last lines of its log, and the process is stopped
     */
    public static ServiceProcess start(String name, Path executableJar, List<String> args, Map<String, String> env,
            int port) {
        Objects.requireNonNull(name, "name");
        if (!Files.isRegularFile(executableJar)) {
            throw new IllegalArgumentException("No executable jar at " + executableJar.toAbsolutePath()
                    + " (build it first, e.g. ./mvnw package)");
        }
        Path logFile = LOG_DIRECTORY.resolve(name + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", executableJar.toAbsolutePath().toString(),
                "--server.port=" + port));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        builder.environment().putAll(env);
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + command, e);
        }
        ServiceProcess service = new ServiceProcess(name, process, port, logFile);
        // Registered before waiting, so even a test JVM killed during the wait leaves no orphan.
        Runtime.getRuntime().addShutdownHook(service.shutdownHook);
        try {
            service.awaitHealthy();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /** A TCP port that was free a moment ago (the OS picks it; another process could still take it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String lastAnswer = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " before it was healthy");
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted");
            }
            if (System.nanoTime() > deadline) {
                throw failure("was not healthy within " + STARTUP_TIMEOUT.toSeconds() + " s (last health check: "
                        + lastAnswer + ")");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted");
            }
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("Service " + name + " (pid " + process.pid() + ", port " + port + ") " + what
                + ". Last " + LOG_TAIL_LINES + " lines of " + logFile + ":\n" + logTail());
    }

    /** The last lines of the service's log, for failure messages. */
    public String logTail() {
        Deque<String> tail = new ArrayDeque<>(LOG_TAIL_LINES);
        // Lenient decoding: a service may print anything, and a failure message must never fail itself.
        try (Stream<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines()) {
            lines.forEach(line -> {
                if (tail.size() == LOG_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
        return String.join("\n", tail);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
        removeShutdownHook();
    }

    /** Asks the process to stop (SIGTERM, so Spring shuts down gracefully), and kills it after 10 s. Idempotent. */
    @Override
    public void close() {
        stop();
        removeShutdownHook();
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            process.destroyForcibly();
            awaitExit(STOP_TIMEOUT);
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (or ran) anyway, and stop() is idempotent.
        }
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", pid " + process.pid() + ", " + baseUrl() + "]";
    }
}

package dev.tally.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Spring Boot service of the stack, run from its executable jar as its own process on a fixed port, configured
 * through the environment variables its documentation lists. It can be stopped, killed and started again on the same
 * port, as an operator (or an end-to-end test) would.
 */
final class ServiceLauncher {

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** A JVM recording an AOT cache writes it when it exits: give it time to, after the graceful shutdown. */
    private static final Duration STOP_GRACE_WRITING_AOT_CACHE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final List<String> arguments;
    private final Path logFile;
    private final String java;
    /** Null when the service runs from its executable jar without an AOT cache. */
    private final AotCache aotCache;
    private ManagedProcess process;
    private boolean retired;

    ServiceLauncher(String name, Path jar, int port, Map<String, String> environment, List<String> jvmOptions,
            List<String> arguments, Path logFile) {
        this(name, jar, port, environment, jvmOptions, arguments, logFile, ManagedProcess.javaExecutable(), null);
    }

    ServiceLauncher(String name, Path jar, int port, Map<String, String> environment, List<String> jvmOptions,
            List<String> arguments, Path logFile, String java, AotCache aotCache) {
        this.java = java;
        this.aotCache = aotCache;
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.arguments = List.copyOf(arguments);
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts the process and returns at once; {@link #awaitHealthy} waits for it. */
    synchronized void launch() {
        if (retired) {
            throw new StackException("the stack is stopping");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new StackException("no executable jar for " + name + " at " + jar
                    + " (build it: ./tally up --build, or ./mvnw -DskipTests package)");
        }
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(aotCache == null ? List.of("-jar", jar.toString()) : aotCache.launchArguments());
        command.add("--server.port=" + port);
        command.addAll(arguments);
        process = ManagedProcess.start(name, command, environment, logFile);
    }

    /** Polls {@code /actuator/health} until it answers 200; fails with the log's tail if the process dies first. */
    void awaitHealthy() {
        ManagedProcess current;
        synchronized (this) {
            current = process;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String lastAnswer = "no answer yet";
        while (true) {
            if (!current.isAlive()) {
                throw new StackException(name + " exited with code " + current.exitValue()
                        + " before it was healthy. Last lines of " + logFile + ":\n" + current.logTail());
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + name);
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(name + " was not healthy within " + STARTUP_TIMEOUT.toSeconds()
                        + " s (last health check: " + lastAnswer + "). Last lines of " + logFile + ":\n"
                        + current.logTail());
            }
            Sleep.millis(250);
        }
    }

    void start() {
        launch();
        awaitHealthy();
    }

    /** SIGTERM (Spring's graceful shutdown), SIGKILL after 20 s (90 s while an AOT cache may be written). */
    synchronized void stop() {
        if (process != null) {
            process.stop(aotCache == null ? STOP_GRACE : STOP_GRACE_WRITING_AOT_CACHE);
        }
    }

    /** Stops it for good: a start still under way fails instead of leaving a process behind. */
    synchronized void retire() {
        retired = true;
        stop();
    }

    /** SIGKILL, as a crash would. */
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

    /** Null while it runs or before it started. */
    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }
}

package dev.tally.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (closed loop, keep-alive HTTP/1.1, {@code --latency}) with a scenario's Lua script and reads its summary.
 * wrk runs as a child of this JVM; {@link #stopAll} ends any still running when the benchmark is interrupted.
 */
final class Wrk {

    static final String EXECUTABLE = "/usr/bin/wrk";
    /** Longer than any answer the scenarios see, so slow answers count as slow, not as socket errors. */
    private static final String TIMEOUT = "10s";
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    private final int threads;
    private final int connections;

    Wrk(int threads, int connections) {
        this.threads = threads;
        this.connections = connections;
    }

    static void requireInstalled() {
        if (!Files.isExecutable(Path.of(EXECUTABLE))) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install it (apt-get install -y wrk)");
        }
    }

    WrkResult run(String url, Path script, Duration duration) throws IOException, InterruptedException {
        List<String> command = List.of(EXECUTABLE, "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "--timeout", TIMEOUT, "-s", script.toString(), url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        RUNNING.add(process);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("wrk did not end: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IOException("wrk failed (exit " + process.exitValue() + "): " + output);
            }
            return WrkResult.parse(output);
        } finally {
            RUNNING.remove(process);
        }
    }

    static void stopAll() {
        RUNNING.forEach(Process::destroyForcibly);
    }

    /**
     * What wrk printed: completed requests, their rate, latency percentiles (wrk's own histogram), responses that
     * were not 2xx or 3xx, and socket errors (connect, read, write, timeout).
     */
    record WrkResult(long requests, double seconds, double requestsPerSecond, double p50Millis, double p99Millis,
            long non2xx, long socketErrors, String output) {

        private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
        private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
        private static final Pattern SOCKET_ERRORS = Pattern.compile(
                "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

        static WrkResult parse(String output) {
            Matcher requests = find(REQUESTS, output);
            Matcher rate = find(RATE, output);
            Matcher non2xx = NON_2XX.matcher(output);
            Matcher socket = SOCKET_ERRORS.matcher(output);
            long errors = 0;
            if (socket.find()) {
                for (int group = 1; group <= 4; group++) {
                    errors += Long.parseLong(socket.group(group));
                }
            }
            return new WrkResult(Long.parseLong(requests.group(1)),
                    millis(requests.group(2), requests.group(3)) / 1000, Double.parseDouble(rate.group(1)),
                    percentile(output, "50%"), percentile(output, "99%"),
                    non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, errors, output);
        }

        private static Matcher find(Pattern pattern, String output) {
            Matcher matcher = pattern.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("wrk's output has no " + pattern + ":\n" + output);
            }
            return matcher;
        }

        /** A line of the latency distribution: {@code "     99%  123.45ms"}. */
        private static double percentile(String output, String percent) {
            Matcher matcher = find(Pattern.compile("^\\s*" + Pattern.quote(percent) + "\\s+([\\d.]+)(us|ms|s|m)\\s*$",
                    Pattern.MULTILINE), output);
            return millis(matcher.group(1), matcher.group(2));
        }

        private static double millis(String number, String unit) {
            double value = Double.parseDouble(number);
            return switch (unit) {
                case "us" -> value / 1000;
                case "ms" -> value;
                case "s" -> value * 1000;
                case "m" -> value * 60_000;
                default -> throw new IllegalArgumentException(unit);
            };
        }
    }
}

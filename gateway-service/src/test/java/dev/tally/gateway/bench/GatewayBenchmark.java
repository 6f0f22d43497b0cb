package dev.tally.gateway.bench;

import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Added latency and throughput of the Tally gateway, with full governance (key, policy, rate limit, reservation
 * in the ledger over Kafka, charge, request record), against a fast fake OpenAI upstream, side by side with the
 * upstream called directly (the baseline) and Portkey's open-source gateway proxying the same upstream; and, for
 * reference, the gateway's ledger traffic alone ({@link LedgerRoundTrip}). Everything runs on this machine and shares
 * its cores. Prints a markdown table, also written to target/bench/gateway-benchmark.md. See docs/benchmarks.md for
 * the command and the results.
 *
 * <p>System properties: {@code bench.seconds} (20) per measurement, {@code bench.warmup} (5) before each, after a
 * first warm-up of each target of {@code bench.warmupRequests} (10,000) requests or {@code bench.warmupMaxSeconds}
 * (180) at 32 connections, then at each connection count until the JIT of the target's JVM settles (a 10 s step
 * compiling fewer than 50 methods; at most {@code bench.warmupMaxSeconds}),
 * {@code bench.rounds} (1: each round measures every target at every connection count once, interleaved; the
 * targets are judged on the medians), {@code bench.connections} ("1,32"), {@code bench.targets} ("baseline,ledger,tally,portkey"), {@code bench.jfr}
 * (false: when true, the gateway and the ledger record JFR from their start, and one more Tally run at the highest
 * connection count is dumped to target/bench/gateway.jfr and ledger.jfr), {@code bench.gatewayJvm} (the gateway's
 * JAVA_TOOL_OPTIONS, "-Xmx512m -XX:+UseSerialGC" like the ledger's and the integration tests').
 */
public final class GatewayBenchmark {

    static final byte[] REQUEST = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence."
            + "\"}],\"max_tokens\":32}").getBytes(StandardCharsets.UTF_8);
    static final String CREDENTIAL = "sk-bench-upstream-key";

    /** Something to load; {@code reference} rows are not HTTP and have no added latency. */
    record Target(String name, boolean reference, Optional<Long> pid,
            BiFunction<Integer, Duration, LoadGenerator.Result> runner) {

        static Target http(String name, String url, Map<String, String> headers, Optional<Long> pid) {
            return new Target(name, false, pid, (connections, duration) -> LoadGenerator.http(url, headers, REQUEST,
                    connections, duration));
        }

        LoadGenerator.Result run(int connections, Duration duration) {
            return runner.apply(connections, duration);
        }
    }

    record Row(int round, Target target, int connections, LoadGenerator.Result result, Cpu.Delta cpu) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int warmup = Integer.getInteger("bench.warmup", 5);
        int warmupRequests = Integer.getInteger("bench.warmupRequests", 10_000);
        int warmupMax = Integer.getInteger("bench.warmupMaxSeconds", 180);
        int rounds = Integer.getInteger("bench.rounds", 1);
        List<Integer> connectionCounts = Arrays.stream(System.getProperty("bench.connections", "1,32").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
        List<String> wanted = Arrays.stream(System.getProperty("bench.targets", "baseline,ledger,tally,portkey")
                .split(",")).map(String::strip).toList();
        boolean jfr = Boolean.getBoolean("bench.jfr");
        String gatewayJvm = System.getProperty("bench.gatewayJvm", "-Xmx512m -XX:+UseSerialGC");
        String ledgerJvm = "-Xmx512m -XX:+UseSerialGC";
        if (jfr) {
            // From the start: JFR.start on a warm JVM re-instruments JDK classes and discards the compiled code that
            // inlined them, and at tens of requests a second the JIT takes minutes to recover.
            String recording = " -XX:StartFlightRecording=name=bench,settings=profile,maxage=30m";
            gatewayJvm += recording;
            ledgerJvm += recording;
        }
        Path out = Path.of("target", "bench").toAbsolutePath();
        Files.createDirectories(out);

        FakeOpenAi upstream = new FakeOpenAi();
        System.out.printf("fake upstream at %s%n", upstream.baseUrl());
        Map<String, Long> pids = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        targets.add(Target.http("baseline (fake upstream directly)", upstream.baseUrl() + "/chat/completions",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + CREDENTIAL),
                Optional.empty()));
        LedgerRoundTrip ledgerOnly = null;

        GatewayStack stack = null;
        if (wanted.contains("tally")) {
            System.out.printf("starting the stack (broker, PostgreSQL, ledger, governance, one gateway) ...%n");
            stack = GatewayStack.forBenchmark(upstream.baseUrl(), gatewayJvm, ledgerJvm);
            TestAgent agent = TestAgent.create(stack, "Bench", 1_000_000_000_000L);
            String url = "http://127.0.0.1:" + stack.gatewayA.port() + "/v1/chat/completions";
            Map<String, String> headers = Map.of("Content-Type", "application/json",
                    "Authorization", "Bearer " + agent.key());
            System.out.printf("first governed answer: %s%n", awaitAnswer(url, headers));
            if (wanted.contains("ledger")) {
                LedgerRoundTrip ledger = new LedgerRoundTrip(stack.infra.kafkaBootstrapServers(), agent);
                ledgerOnly = ledger;
                targets.add(new Target("reference: ledger reserve + usage only", true,
                        Optional.of(stack.ledgerPid()), (connections, duration) -> LoadGenerator.run(connections,
                        duration, ledger::call)));
            }
            targets.add(Target.http("Tally gateway", url, headers, Optional.of(stack.gatewayA.pid())));
            pids.put("gateway", stack.gatewayA.pid());
            pids.put("ledger", stack.ledgerPid());
            pids.put("governance", stack.governance.pid());
        }
        Portkey portkey = null;
        String portkeyProblem = null;
        if (wanted.contains("portkey")) {
            try {
                portkey = Portkey.start(out.resolve("portkey"), freePort(), out.resolve("portkey.log"));
                String url = portkey.baseUrl() + "/v1/chat/completions";
                Map<String, String> headers = Map.of("Content-Type", "application/json",
                        "Authorization", "Bearer " + CREDENTIAL, "x-portkey-provider", "openai",
                        "x-portkey-custom-host", upstream.baseUrl());
                System.out.printf("first Portkey answer: %s%n", awaitAnswer(url, headers));
                targets.add(Target.http("Portkey " + Portkey.PACKAGE.substring(Portkey.PACKAGE.lastIndexOf('@') + 1),
                        url, headers, Optional.of(portkey.pid())));
                pids.put("portkey", portkey.pid());
            } catch (IOException | RuntimeException e) {
                portkeyProblem = e.getMessage();
                System.out.printf("Portkey is left out: %s%n", portkeyProblem);
            }
        }
        Cpu cpu = new Cpu(pids, stack == null ? null : stack.postgresPort());
        List<Target> jvms = targets.stream().filter(t -> t.name().startsWith("Tally")
                || t.name().startsWith("reference")).toList();

        List<Row> rows = new ArrayList<>();
        for (Target target : targets) {
            // Until the JIT has seen enough requests: the ledger-bound targets answer only tens a second.
            long requests = 0;
            long started = System.nanoTime();
            while (requests < warmupRequests && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(warmupMax)) {
                requests += target.run(32, Duration.ofSeconds(5)).requests();
            }
            System.out.printf("warm-up: %s, 32 connections, %d requests in %.0f s%n", target.name(), requests,
                    (System.nanoTime() - started) / 1e9);
        }
        // The request count above leaves a JVM's JIT still compiling at low concurrency (a profile at 1 connection
        // found a quarter of the gateway's CPU in C2 after it): warm each connection count until it settles.
        for (int connections : connectionCounts) {
            for (Target target : targets) {
                warmUntilSettled(target, connections, warmupMax, jvms.contains(target));
            }
        }
        // What every process burns with no request at all (pollers, schedulers), to subtract from the rows below.
        Cpu.Snapshot idleStart = cpu.snapshot();
        Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(5, seconds / 2)));
        cpu.idle(cpu.snapshot().minus(idleStart));
        System.out.printf("idle: %s%n", cpu.idleDescription());
        // Rounds interleave the targets, so that each is measured under the same (shared, noisy) machine.
        for (int round = 1; round <= rounds; round++) {
            for (int connections : connectionCounts) {
                for (Target target : targets) {
                    target.run(connections, Duration.ofSeconds(warmup));
                    Cpu.Snapshot before = cpu.snapshot();
                    LoadGenerator.Result result = target.run(connections, Duration.ofSeconds(seconds));
                    Cpu.Delta used = cpu.withIdle(cpu.snapshot().minus(before));
                    rows.add(new Row(round, target, connections, result, used));
                    System.out.printf("round %d %-34s %3d conns: %8.0f req/s, p50 %7.2f ms, p99 %7.2f ms, errors %d%s;"
                            + " %s%n", round, target.name(), connections, result.perSecond(),
                            result.percentileMillis(50), result.percentileMillis(99), result.errors(),
                            result.firstError() == null ? "" : " (first: " + abbreviate(result.firstError()) + ")",
                            used.describe(result.requests()));
                }
            }
        }

        String report = report(rows, seconds, portkeyProblem) + (jfr
                ? "\nJFR (settings=profile) was recording in the gateway and the ledger during every row.\n" : "");
        System.out.println();
        System.out.println(report);
        Files.writeString(out.resolve("gateway-benchmark.md"), report);

        if (jfr && stack != null) {
            int connections = connectionCounts.stream().max(Integer::compare).orElse(32);
            Target tally = targets.stream().filter(t -> t.name().startsWith("Tally")).findFirst().orElseThrow();
            Cpu.Snapshot before = cpu.snapshot();
            LoadGenerator.Result result = tally.run(connections, Duration.ofSeconds(seconds));
            Cpu.Delta used = cpu.withIdle(cpu.snapshot().minus(before));
            for (long pid : new long[] {stack.gatewayA.pid(), stack.ledgerPid()}) {
                String name = pid == stack.ledgerPid() ? "ledger" : "gateway";
                jcmd(pid, "JFR.dump", "name=bench", "begin=-" + seconds + "s",
                        "filename=" + out.resolve(name + ".jfr"));
            }
            System.out.printf("profiled Tally run, %d connections: %.0f req/s, p50 %.2f ms; %s; recordings of its "
                    + "%d s in %s%n", connections, result.perSecond(), result.percentileMillis(50),
                    used.describe(result.requests()), seconds, out);
        }
        if (portkey != null) {
            portkey.close();
        }
        if (ledgerOnly != null) {
            ledgerOnly.close();
        }
        upstream.close();
        System.exit(0);
    }

    static String report(List<Row> rows, int seconds, String portkeyProblem) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Gateway benchmark, %s, %d s per row, %d cores, Java %s%n%n", LocalDate.now(),
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        md.append("| round | target | connections | requests/s | p50 ms | p99 ms | added p50 ms | added p99 ms "
                + "| target process CPU ms/request | machine CPU ms/request | machine busy | of which steal | errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            Row base = baseline(rows, row);
            LoadGenerator.Result r = row.result();
            boolean isBase = row == base || row.target().reference();
            md.append(String.format("| %d | %s | %d | %.0f | %.2f | %.2f | %s | %s | %s | %.2f | %.0f %% | %.0f %% | %d |%n",
                    row.round(), row.target().name(), row.connections(), r.perSecond(), r.percentileMillis(50),
                    r.percentileMillis(99),
                    isBase || base == null ? "–" : String.format("%.2f", added(row, base, 50)),
                    isBase || base == null ? "–" : String.format("%.2f", added(row, base, 99)),
                    row.target().pid().map(pid -> String.format("%.2f", row.cpu().millisPerRequest(
                            row.cpu().of(pid), r.requests()))).orElse("–"),
                    row.cpu().millisPerRequest(row.cpu().machineBusyNanos(), r.requests()),
                    row.cpu().machineBusyPercent(), row.cpu().stealPercent(), r.errors()));
        }
        for (Row row : rows) {
            if (row.target().name().startsWith("Tally")) {
                md.append(String.format("%nCPU per Tally request, round %d, %d connection(s), by process, beyond idle: "
                        + "%s%n", row.round(), row.connections(), row.cpu().describe(row.result().requests())));
            }
        }
        if (portkeyProblem != null) {
            md.append("\nPortkey was left out: ").append(portkeyProblem).append('\n');
        }
        double tally32 = median(rows, "Tally", 32, r -> r.result().perSecond());
        double portkey32 = median(rows, "Portkey", 32, r -> r.result().perSecond());
        double added1 = median(rows, "Tally", 1, r -> added(r, baseline(rows, r), 50));
        String over = rows.stream().mapToInt(Row::round).max().orElse(1) > 1 ? " (medians over the rounds)" : "";
        if (!Double.isNaN(tally32) && !Double.isNaN(portkey32)) {
            md.append(String.format("%nTarget 1, throughput at 32 connections ≥ Portkey's%s: %.0f vs %.0f requests/s: "
                    + "%s%n", over, tally32, portkey32, tally32 >= portkey32 ? "met" : "NOT met"));
        }
        if (!Double.isNaN(added1)) {
            md.append(String.format("Target 2, added p50 at 1 connection ≤ 3 ms%s: %.2f ms: %s%n", over, added1,
                    added1 <= 3 ? "met" : "NOT met"));
        }
        return md.toString();
    }

    /** The baseline measured in the same round at the same connection count. */
    private static Row baseline(List<Row> rows, Row row) {
        return rows.stream().filter(r -> r.round() == row.round() && r.connections() == row.connections()
                && r.target().name().startsWith("baseline")).findFirst().orElse(null);
    }

    private static double added(Row row, Row base, int percentile) {
        return base == null ? Double.NaN
                : row.result().percentileMillis(percentile) - base.result().percentileMillis(percentile);
    }

    private static double median(List<Row> rows, String prefix, int connections,
            java.util.function.ToDoubleFunction<Row> value) {
        double[] values = rows.stream().filter(r -> r.connections() == connections
                && r.target().name().startsWith(prefix)).mapToDouble(value).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** Sends the request until it is answered 200 (a new key reaches the gateway through the state topic). */
    private static String awaitAnswer(String url, Map<String, String> headers) throws InterruptedException {
        // HTTP/1.1: the default would offer an h2c upgrade (Connection: Upgrade, HTTP2-Settings), and Portkey
        // forwards that Connection header upstream, where node's fetch rejects it ("invalid connection header").
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(REQUEST));
        headers.forEach(request::header);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return answer.body();
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " never answered 200; last: " + last);
    }

    /**
     * Runs the target at {@code connections} in 10 s steps until a step compiles fewer than 50 methods in its JVM
     * (read with jstat), or for 20 s when it is no JVM; at most {@code maxSeconds}.
     */
    private static void warmUntilSettled(Target target, int connections, int maxSeconds, boolean jvm)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        long compiled = jvm ? compiledMethods(target.pid().orElseThrow()) : 0;
        long growth = Long.MAX_VALUE;
        int steps = 0;
        while ((jvm ? growth >= 50 : steps < 2)
                && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(maxSeconds)) {
            target.run(connections, Duration.ofSeconds(10));
            steps++;
            if (jvm) {
                long now = compiledMethods(target.pid().orElseThrow());
                growth = now - compiled;
                compiled = now;
            }
        }
        System.out.printf("warm-up: %s, %d connections, %.0f s%s%n", target.name(), connections,
                (System.nanoTime() - started) / 1e9, jvm ? ", last 10 s compiled " + growth + " methods" : "");
    }

    /** The number of methods the JIT of the process has compiled so far ({@code jstat -compiler}). */
    private static long compiledMethods(long pid) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(),
                "-compiler", String.valueOf(pid)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jstat -compiler " + pid + " failed: " + output);
        }
        String[] lines = output.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip().split("\\s+")[0]);
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /**
     * The CPU time of this machine, of this JVM and of the named processes between two snapshots, and the same less
     * what each burned while idle (pollers, schedulers) over as long, so that per-request figures count requests.
     */
    static final class Cpu {

        static final String BENCH_JVM = "benchmark JVM (broker, load generator, fake upstream)";

        record Snapshot(Map<String, Long> nanos, long busyJiffies, long stealJiffies, long totalJiffies,
                long wallNanos) {
            Delta minus(Snapshot before) {
                Map<String, Long> used = new LinkedHashMap<>();
                nanos.forEach((name, value) -> used.put(name, value - before.nanos.getOrDefault(name, 0L)));
                return new Delta(used, busyJiffies - before.busyJiffies, stealJiffies - before.stealJiffies,
                        totalJiffies - before.totalJiffies, wallNanos - before.wallNanos, null);
            }
        }

        /**
         * @param stealJiffies time the hypervisor gave this machine's cores to someone else: part of busy, and a
         *                     measure of how noisy the shared host was during the row
         */
        record Delta(Map<String, Long> nanos, long busyJiffies, long stealJiffies, long totalJiffies, long wallNanos,
                Delta idle) {

            double stealPercent() {
                return totalJiffies == 0 ? Double.NaN : 100.0 * stealJiffies / totalJiffies;
            }

            /** CPU nanoseconds of the process beyond its idle rate. */
            long beyondIdle(String name) {
                long used = nanos.getOrDefault(name, 0L);
                if (idle == null || idle.wallNanos == 0) {
                    return used;
                }
                return used - (long) (idle.nanos.getOrDefault(name, 0L) * (double) wallNanos / idle.wallNanos);
            }

            long of(long pid) {
                return beyondIdle("pid:" + pid);
            }

            long machineBusyNanos() {
                // /proc/stat counts USER_HZ ticks summed over all cores: 100 a second per core.
                return busyJiffies * 10_000_000L;
            }

            double machineBusyPercent() {
                return totalJiffies == 0 ? Double.NaN : 100.0 * busyJiffies / totalJiffies;
            }

            double millisPerRequest(long nanos, long requests) {
                return requests == 0 ? Double.NaN : nanos / 1e6 / requests;
            }

            /** Per request, beyond idle, by process; and what the machine spent on everything else. */
            String describe(long requests) {
                StringBuilder text = new StringBuilder();
                long ours = 0;
                for (var entry : nanos.entrySet()) {
                    if (!entry.getKey().startsWith("pid:")) {
                        ours += entry.getValue();
                        text.append(String.format("%s %.2f ms, ", entry.getKey(),
                                millisPerRequest(beyondIdle(entry.getKey()), requests)));
                    }
                }
                text.append(String.format("other processes %.2f ms (machine %.0f %% busy, steal %.0f %%)",
                        millisPerRequest(Math.max(0, machineBusyNanos() - ours), requests), machineBusyPercent(),
                        stealPercent()));
                return text.toString();
            }
        }

        private final Map<String, Long> pids;
        private final Long postmaster;
        private Delta idle;

        Cpu(Map<String, Long> pids, Integer postgresPort) {
            this.pids = pids;
            this.postmaster = postgresPort == null ? null : postmaster(postgresPort);
        }

        void idle(Delta measured) {
            this.idle = measured;
        }

        Delta withIdle(Delta measured) {
            return new Delta(measured.nanos(), measured.busyJiffies(), measured.stealJiffies(),
                    measured.totalJiffies(), measured.wallNanos(), idle);
        }

        String idleDescription() {
            StringBuilder text = new StringBuilder();
            long ours = 0;
            for (var entry : idle.nanos().entrySet()) {
                if (!entry.getKey().startsWith("pid:")) {
                    ours += entry.getValue();
                    text.append(String.format("%s %.1f %%, ", entry.getKey(),
                            100.0 * entry.getValue() / idle.wallNanos()));
                }
            }
            return text.append(String.format("other processes %.1f %% (of one core)",
                    100.0 * Math.max(0, idle.machineBusyNanos() - ours) / idle.wallNanos())).toString();
        }

        Snapshot snapshot() throws IOException {
            Map<String, Long> nanos = new LinkedHashMap<>();
            nanos.put(BENCH_JVM, ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime());
            pids.forEach((name, pid) -> {
                long value = cpuNanos(pid);
                nanos.put(name, value);
                nanos.put("pid:" + pid, value);
            });
            if (postmaster != null) {
                long total = cpuNanos(postmaster);
                for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.descendants().toList())
                        .orElse(List.of())) {
                    total += cpuNanos(child.pid());
                }
                nanos.put("postgres", total);
            }
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idleJiffies = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new Snapshot(nanos, total - idleJiffies, Long.parseLong(fields[8]), total, System.nanoTime());
        }

        /** utime + stime of every thread of the process, from /proc (clock ticks of 10 ms). */
        private static long cpuNanos(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** The embedded PostgreSQL server of this benchmark: the postgres process listening on the URL's port. */
        private static Long postmaster(int port) {
            String portArgument = "-p " + port;
            return ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(portArgument)).orElse(false))
                    .map(ProcessHandle::pid).findFirst().orElse(null);
        }
    }
}

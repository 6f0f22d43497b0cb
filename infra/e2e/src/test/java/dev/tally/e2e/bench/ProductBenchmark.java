package dev.tally.e2e.bench;

import dev.tally.gateway.bench.FakeOpenAi;
import dev.tally.gateway.bench.Portkey;
import dev.tally.localstack.LocalStack;
import dev.tally.localstack.StackOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole product under load, as {@code ./tally up} runs it: Kafka, PostgreSQL (durable commits), ledger,
 * governance, gateway, analytics and notification, each its own process started by {@link LocalStack}, the gateway's
 * {@code openai} provider pointed at a fake OpenAI upstream in this JVM. wrk loads the gateway in two scenarios, one
 * agent key (A) and a thousand agent keys of the same organisation with a DAILY budget each (B), and Portkey's gateway
 * proxying the same upstream with the same load; then a restarted (cold) gateway is loaded in 5-second windows. After
 * each phase the ledger must hold exactly what the upstream billed ({@link Exactness}). Everything it started is
 * stopped at the end, on failure and on Ctrl-C too.
 *
 * <p>Run it with {@code infra/bench/product-bench} (options: {@link BenchOptions#USAGE}); docs/benchmarks.md has the
 * results. A benchmark, not a test: no test runner picks it up.
 */
public final class ProductBenchmark {

    /** The platform key the gateway sends upstream; the fake counts the answers per key. */
    static final String TALLY_UPSTREAM_KEY = "sk-bench-tally";
    static final String PORTKEY_UPSTREAM_KEY = "sk-bench-portkey";

    private final BenchOptions options;
    private final Path out;
    /** The gateway's leases retired during scenario B, by reason; null until B ran. */
    private String leasesDuringB;
    /** With {@code --aot-cache}: how long the services' restart from their caches took, for the report. */
    private String aotRestart;

    private ProductBenchmark(BenchOptions options) {
        this.options = options;
        this.out = options.output();
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("tally.project.root", "")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root);
        } catch (BenchOptions.HelpRequested help) {
            System.out.print(BenchOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("product-bench: " + e.getMessage() + "\n\n" + BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        // LocalStack and Portkey stop their processes from hooks of their own; wrk is ours to stop.
        Runtime.getRuntime().addShutdownHook(new Thread(Wrk::stopAll, "wrk-stop"));
        int exitCode;
        try {
            exitCode = new ProductBenchmark(options).run() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("\nproduct-bench failed: " + e);
            e.printStackTrace();
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** True when every exactness check passed. */
    private boolean run() throws Exception {
        Wrk.requireInstalled();
        Files.createDirectories(out);
        long begin = System.nanoTime();
        try (FakeOpenAi upstream = new FakeOpenAi(ChatRequest.USAGE)) {
            System.out.printf("product-bench: fake OpenAI upstream at %s; starting the product (data and logs in %s)%n",
                    upstream.baseUrl(), out.resolve("stack"));
            StackOptions stackOptions = StackOptions.builder(options.projectRoot())
                    .dataDirectory(out.resolve("stack"))
                    .wipe(true)
                    .createDemo(false)
                    .freePorts()
                    .serviceJvmOptions(options.jvmOptions())
                    .serviceJavaHome(options.serviceJava())
                    .aotCache(options.aotCache())
                    // The embedded server's default is synchronous_commit=off: a commit would not wait for the disk.
                    // and it starts the server with -F (fsync off); -c fsync=on comes after it and wins.
                    .postgresSetting("synchronous_commit", "on")
                    .postgresSetting("fsync", "on")
                    .postgresSetting("shared_preload_libraries", "pg_stat_statements")
                    .postgresSetting("pg_stat_statements.track", "all")
                    .serviceArguments(LocalStack.GATEWAY,
                            "--tally.gateway.providers.openai.base-url=" + upstream.baseUrl(),
                            "--tally.gateway.providers.openai.api-key=" + TALLY_UPSTREAM_KEY)
                    .build();
            try (LocalStack stack = LocalStack.start(stackOptions);
                    ConsumerLag lag = new ConsumerLag(stack.kafkaBootstrapServers())) {
                Portkey portkey = null;
                try {
                    portkey = options.portkey() ? startPortkey(upstream) : null;
                    return measure(stack, lag, upstream, portkey, stackOptions);
                } finally {
                    if (portkey != null) {
                        portkey.close();
                    }
                    System.out.println("product-bench: stopping everything");
                }
            }
        } finally {
            System.out.printf("product-bench: %.0f s in all%n", (System.nanoTime() - begin) / 1e9);
        }
    }

    private boolean measure(LocalStack stack, ConsumerLag lag, FakeOpenAi upstream, Portkey portkey,
            StackOptions stackOptions) throws Exception {
        String durability = postgresDurability(stack);
        System.out.println("product-bench: PostgreSQL " + durability);
        String gateway = stack.gatewayUrl().replace("localhost", "127.0.0.1");
        String completions = gateway + "/v1/chat/completions";

        long started = System.nanoTime();
        BenchOrg org = BenchOrg.create(stack.governanceUrl(), stack.adminKey(), options.agents());
        List<String> allKeys = new ArrayList<>(org.manyKeys());
        allKeys.add(0, org.singleKey());
        List<String> refused = GatewayCalls.refusedKeys(gateway, allKeys, Duration.ofSeconds(60));
        if (!refused.isEmpty()) {
            System.out.printf("product-bench: the gateway refuses %d keys (governance's state relay dropped their "
                    + "records); staging their agents again%n", refused.size());
            refused.forEach(org::repairAgent);
            refused = GatewayCalls.refusedKeys(gateway, refused, Duration.ofSeconds(30));
            if (refused.contains(org.singleKey())) {
                throw new IllegalStateException("the gateway refuses scenario A's key");
            }
            if (!refused.isEmpty()) {
                System.out.printf("product-bench: WARNING %d keys still refused; scenario B leaves them out%n",
                        refused.size());
                List<String> usable = new ArrayList<>(org.manyKeys());
                usable.removeAll(refused);
                org = new BenchOrg(org.id(), org.creditsPerUsd(), org.purchased(), org.owner(), org.singleKey(),
                        List.copyOf(usable), org.agentByKey());
            }
        }
        System.out.printf("product-bench: organisation %s with %,d credits, 1 + %,d agents with a key and a DAILY "
                + "budget each, all accepted by the gateway, in %.1f s%n", org.id(), org.purchased(),
                org.manyKeys().size(), (System.nanoTime() - started) / 1e9);

        LedgerReads ledger = new LedgerReads(stack.ledgerUrl(), stack.governanceUrl(), stack.adminKey());
        long creditsPerAnswer = ledger.creditsPerAnswer("openai", ChatRequest.MODEL, ChatRequest.USAGE.promptTokens(),
                ChatRequest.USAGE.completionTokens(), org.creditsPerUsd());
        TallyTraffic traffic = new TallyTraffic(options.connections());
        System.out.printf("product-bench: first answer: %s%n", abbreviate(GatewayCalls.awaitAnswer(completions,
                Map.of("Authorization", "Bearer " + org.singleKey()))));
        traffic.addSingleAnswer();
        Exactness exactness = new Exactness(ledger, lag, upstream, TALLY_UPSTREAM_KEY, org, creditsPerAnswer);

        Path scripts = out.resolve("wrk");
        Path oneKey = WrkScripts.sameRequest(scripts, "one-key", Map.of("Authorization", "Bearer " + org.singleKey()));
        Path manyKeys = WrkScripts.rotatingKeys(scripts, "many-keys", org.manyKeys());
        MeasuredLoad load = new MeasuredLoad(new Wrk(options.threads(), options.connections()), new CpuMeter(),
                new ProductProcesses(stackOptions.dataDirectory(), stackOptions.postgresPort()), lag);
        CpuMeter.Usage idle = idle(stackOptions);
        PostgresActivity postgres = new PostgresActivity(stack.jdbcUrl("tally_ledger"), stack.databaseUser(),
                stack.databasePassword());
        Map<String, PostgresActivity.Delta> postgresActivity = new LinkedHashMap<>();

        List<MeasuredLoad.Result> results = new ArrayList<>();
        Duration seconds = Duration.ofSeconds(options.seconds());
        if (options.warmup() > 0) {
            say("warm-up: one key, %d s, not measured", options.warmup());
            report("warm-up", traffic.add(load.warm(completions, oneKey, Duration.ofSeconds(options.warmup()))));
        }
        if (options.aotCache()) {
            // The first run of each service recorded its AOT cache (a training run); users run from the cache after
            // it, so every scenario does too: the services stop (writing their caches) and start from them.
            restartFromAotCaches(stack, gateway, allKeys);
            if (options.warmup() > 0) {
                say("warm-up again after the restart: one key, %d s, not measured", options.warmup());
                report("warm-up", traffic.add(load.warm(completions, oneKey, Duration.ofSeconds(options.warmup()))));
            }
        }
        say("scenario A: one key, %d s", options.seconds());
        postgres.start();
        MeasuredLoad.Result a = traffic.add(load.measure("A: 1 key", completions, oneKey, seconds, true));
        postgresActivity.put(a.scenario(), postgres.stop());
        report(a);
        results.add(a);
        exactness.check("after A", traffic.delivered(), traffic.abandonedAtMost());

        if (portkey != null) {
            String portkeyUrl = portkey.baseUrl() + "/v1/chat/completions";
            Map<String, String> headers = Map.of("Authorization", "Bearer " + PORTKEY_UPSTREAM_KEY,
                    "x-portkey-provider", "openai", "x-portkey-custom-host", upstream.baseUrl());
            GatewayCalls.awaitAnswer(portkeyUrl, headers);
            Path portkeyScript = WrkScripts.sameRequest(scripts, "portkey", headers);
            if (options.portkeyWarmup() > 0) {
                say("Portkey warm-up: %d s, not measured", options.portkeyWarmup());
                report("Portkey warm-up", load.warm(portkeyUrl, portkeyScript,
                        Duration.ofSeconds(options.portkeyWarmup())));
            }
            say("Portkey %s: one key, same upstream, %d s", portkeyVersion(), options.seconds());
            MeasuredLoad.Result p = load.measure("Portkey " + portkeyVersion(), portkeyUrl, portkeyScript, seconds,
                    false);
            report(p);
            results.add(p);
        }

        if (options.manyKeysWarmup() > 0) {
            say("warm-up: %,d keys, %d s, not measured", org.manyKeys().size(), options.manyKeysWarmup());
            report("warm-up", traffic.add(load.warm(completions, manyKeys,
                    Duration.ofSeconds(options.manyKeysWarmup()))));
        }
        say("scenario B: %,d keys, %d s", org.manyKeys().size(), options.seconds());
        postgres.start();
        Map<String, Long> leasesBefore = LeaseRetirements.read(gateway, stack.adminKey());
        MeasuredLoad.Result b = traffic.add(load.measure(String.format("B: %,d keys", org.manyKeys().size()),
                completions, manyKeys, seconds, true));
        postgresActivity.put(b.scenario(), postgres.stop());
        leasesDuringB = LeaseRetirements.difference(leasesBefore, LeaseRetirements.read(gateway, stack.adminKey()));
        say("leases retired during B, by reason: %s", leasesDuringB);
        report(b);
        results.add(b);
        exactness.check("after B", traffic.delivered(), traffic.abandonedAtMost());

        double stopSeconds = Double.NaN;
        double restartSeconds = Double.NaN;
        List<MeasuredLoad.Result> windows = new ArrayList<>();
        if (options.coldSeconds() > 0) {
            say("cold gateway: restart the gateway process, then one key in %d s windows for %d s",
                    options.coldWindow(), options.coldSeconds());
            long stop = System.nanoTime();
            stack.stopService(LocalStack.GATEWAY);
            stopSeconds = (System.nanoTime() - stop) / 1e9;
            long restart = System.nanoTime();
            stack.startService(LocalStack.GATEWAY);
            GatewayCalls.awaitKeysAccepted(gateway, List.of(org.singleKey()), Duration.ofSeconds(120));
            restartSeconds = (System.nanoTime() - restart) / 1e9;
            say("gateway stopped in %.1f s, started and ready in %.1f s", stopSeconds, restartSeconds);
            for (int start = 0; start < options.coldSeconds(); start += options.coldWindow()) {
                MeasuredLoad.Result window = traffic.add(load.window(String.format("cold %d–%d s", start,
                        start + options.coldWindow()), completions, oneKey, Duration.ofSeconds(options.coldWindow())));
                report(window);
                windows.add(window);
            }
            // Stopped at once, leases still open: they must be released by the shutdown, not by idling.
            say("stopping the gateway right after the load (SIGTERM): its leases are released at shutdown");
            stack.stopService(LocalStack.GATEWAY);
            exactness.check("after the cold run and a gateway shutdown", traffic.delivered(),
                    traffic.abandonedAtMost());
        }

        String markdown = report(results, idle, stopSeconds, restartSeconds, windows, a, exactness, durability,
                creditsPerAnswer, postgresActivity);
        System.out.println();
        System.out.println(markdown);
        Path file = out.resolve("product-benchmark.md");
        Files.writeString(file, markdown);
        System.out.println("product-bench: report written to " + file);
        return exactness.allPassed();
    }

    private String report(List<MeasuredLoad.Result> results, CpuMeter.Usage idle, double stopSeconds,
            double restartSeconds, List<MeasuredLoad.Result> windows, MeasuredLoad.Result warmA, Exactness exactness,
            String durability, long creditsPerAnswer, Map<String, PostgresActivity.Delta> postgresActivity) {
        Report report = new Report()
                .heading(String.format("### Whole product, %s, commit %s, %d cores", LocalDate.now(),
                        System.getProperty("bench.commit", "unknown"), Runtime.getRuntime().availableProcessors()))
                .paragraph(String.format("wrk %d threads × %d connections, %d s per scenario after %d s of warm-up "
                        + "(B: %d s more with its keys). Services `%s`; PostgreSQL %s. Request: `%s`, %d-character "
                        + "prompt (%d prompt tokens), max_tokens %d, not streamed; the fake answers %d output tokens; "
                        + "%d credits an answer at %,d credits per USD.", options.threads(), options.connections(),
                        options.seconds(), options.warmup(), options.manyKeysWarmup(),
                        services(options), durability, ChatRequest.MODEL,
                        promptCharacters(), ChatRequest.USAGE.promptTokens(), ChatRequest.MAX_TOKENS,
                        ChatRequest.USAGE.completionTokens(), creditsPerAnswer, BenchOrg.CREDITS_PER_USD))
                .throughput(results)
                .paragraph("CPU milliseconds per request, by process with its children (utime + stime from /proc), "
                        + "and the whole machine (/proc/stat, both cores):")
                .cpu(results)
                .idle(idle)
                .paragraph("Consumer lag (messages behind the log end, all partitions of the group), sampled every "
                        + "second during the load, right after it and 5 s later:")
                .lag(results.stream().filter(r -> !r.maxLagDuring().isEmpty()).toList());
        for (MeasuredLoad.Result result : results) {
            PostgresActivity.Delta activity = postgresActivity.get(result.scenario());
            if (activity != null) {
                report.postgres(result.scenario(), activity, result.wrk().requests());
            }
        }
        if (leasesDuringB != null) {
            report.paragraph("The gateway's leases retired during B, by reason (`tally_gateway_leases_retired_total`): "
                    + leasesDuringB + ".");
        }
        if (aotRestart != null) {
            report.paragraph("AOT cache: after the first warm-up (the services' training run). " + aotRestart
                    + " The warm-up was then repeated before scenario A.");
        }
        if (!windows.isEmpty()) {
            report.paragraph("Cold gateway: the gateway process restarted, then scenario A's load in "
                    + options.coldWindow() + "-second windows:")
                    .cold(stopSeconds, restartSeconds, windows, options.coldWindow(),
                            warmA.wrk().requestsPerSecond());
        }
        return report.paragraph("Exactness:").checks(exactness.checks()).markdown();
    }

    private static final List<String> SERVICES = List.of(LocalStack.LEDGER, LocalStack.GOVERNANCE,
            LocalStack.GATEWAY, LocalStack.ANALYTICS, LocalStack.NOTIFICATION);

    private void restartFromAotCaches(LocalStack stack, String gateway, List<String> keys) throws Exception {
        say("AOT cache: every service stops, writing the cache its first run recorded, and starts from it");
        long stop = System.nanoTime();
        SERVICES.parallelStream().forEach(stack::stopService);
        double stopped = (System.nanoTime() - stop) / 1e9;
        long start = System.nanoTime();
        SERVICES.parallelStream().forEach(stack::startService);
        List<String> refused = GatewayCalls.refusedKeys(gateway, keys, Duration.ofSeconds(120));
        if (!refused.isEmpty()) {
            throw new IllegalStateException(refused.size() + " keys refused after the services' restart");
        }
        aotRestart = String.format("Every service stopped (writing its cache) in %.1f s and started from it, all "
                + "keys accepted again, in %.1f s.", stopped, (System.nanoTime() - start) / 1e9);
        say(aotRestart);
    }

    /** The services' JVM options, and their JDK and AOT cache when not the defaults. */
    private static String services(BenchOptions options) {
        String jvm = String.join(" ", options.jvmOptions());
        if (options.serviceJava() != null) {
            jvm += "` on `" + options.serviceJava();
        }
        return options.aotCache() ? jvm + "`, with an AOT cache recorded in the first run (`--aot-cache`" : jvm;
    }

    /** Every process's share of a core while nothing is sent: pollers, schedulers, the broker's own work. */
    private CpuMeter.Usage idle(StackOptions stackOptions) throws IOException, InterruptedException {
        ProductProcesses processes = new ProductProcesses(stackOptions.dataDirectory(), stackOptions.postgresPort());
        CpuMeter cpu = new CpuMeter();
        Map<String, Long> pids = processes.find();
        System.out.println("product-bench: processes " + pids);
        CpuMeter.Snapshot before = cpu.snapshot(pids);
        Thread.sleep(5000);
        return cpu.snapshot(pids).minus(before);
    }

    private Portkey startPortkey(FakeOpenAi upstream) throws IOException, InterruptedException {
        // The gateway benchmark's install, shared: npm fetches the package once for both.
        Path folder = options.projectRoot().resolve("gateway-service/target/bench/portkey");
        System.out.printf("product-bench: starting Portkey %s (npm install into %s the first time)%n", portkeyVersion(),
                folder);
        return Portkey.start(folder, freePort(), out.resolve("portkey.log"));
    }

    private static String portkeyVersion() {
        return Portkey.PACKAGE.substring(Portkey.PACKAGE.lastIndexOf('@') + 1);
    }

    private static String postgresDurability(LocalStack stack) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl("tally_ledger"), stack.databaseUser(),
                stack.databasePassword()); Statement statement = connection.createStatement()) {
            return "synchronous_commit=" + show(statement, "synchronous_commit") + ", fsync=" + show(statement, "fsync")
                    + ", full_page_writes=" + show(statement, "full_page_writes");
        }
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("show " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    private static int promptCharacters() {
        // The two messages' contents, as a person would count the prompt.
        return "You are a concise assistant for a customer support team.".length() + ChatRequest.BODY
                .substring(ChatRequest.BODY.indexOf("A customer writes"), ChatRequest.BODY.lastIndexOf("\"}]}"))
                .length();
    }

    private static void say(String format, Object... arguments) {
        System.out.printf("product-bench: " + format + "%n", arguments);
    }

    private static void report(String what, Wrk.WrkResult result) {
        System.out.printf("  %s: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d%n", what,
                result.requestsPerSecond(), result.p50Millis(), result.p99Millis(), result.non2xx(),
                result.socketErrors());
    }

    private static void report(MeasuredLoad.Result result) {
        report(result.scenario(), result.wrk());
        long requests = result.wrk().requests();
        StringBuilder cpu = new StringBuilder("  CPU ms/request:");
        result.cpu().nanos().forEach((name, nanos) -> cpu.append(String.format(" %s %.3f,", name,
                result.cpu().millisPerRequest(name, requests))));
        cpu.append(String.format(" other processes %.3f, machine %.3f (%.0f %% busy, steal %.0f %%)",
                result.cpu().otherMillisPerRequest(requests), result.cpu().machineMillisPerRequest(requests), result.cpu().machineBusyPercent(),
                result.cpu().stealPercent()));
        System.out.println(cpu);
        if (!result.maxLagDuring().isEmpty()) {
            System.out.println("  lag max during " + result.maxLagDuring() + ", right after " + result.lagRightAfter()
                    + ", 5 s later " + result.lagFiveSecondsLater());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}

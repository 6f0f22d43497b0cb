package dev.tally.e2e.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code infra/bench/product-bench} was asked for. Durations are seconds; every phase has a flag so that a quick
 * look ({@code --seconds 10 --warmup 10}) and the documented run use the same code.
 *
 * @param projectRoot    the repository root: the services' jars are found under it
 * @param output         where the stack's data and logs, the wrk scripts and the report go
 * @param seconds        measured load per scenario (one key, many keys, Portkey)
 * @param warmup         unmeasured load on the gateway before the first scenario: the JIT needs thousands of requests
 * @param manyKeysWarmup unmeasured load with the many keys before they are measured: their first leases are a ramp
 * @param portkeyWarmup  unmeasured load on Portkey before it is measured
 * @param coldSeconds    load on a freshly restarted gateway, reported per {@code coldWindow}
 * @param agents         agent keys of the many-keys scenario
 * @param connections    wrk connections
 * @param threads        wrk threads
 * @param portkey        run Portkey side by side
 * @param jvmOptions     JVM options of every service process
 * @param serviceJava    the JDK the services run on; null = the benchmark's own
 * @param aotCache       the services keep JDK 25's AOT cache (the cold gateway reads what its first run recorded)
 */
record BenchOptions(Path projectRoot, Path output, int seconds, int warmup, int manyKeysWarmup, int portkeyWarmup,
        int coldSeconds, int coldWindow, int agents, int connections, int threads, boolean portkey,
        List<String> jvmOptions, Path serviceJava, boolean aotCache) {

    static final String USAGE = """
            usage: infra/bench/product-bench [options]
              --seconds N            measured load per scenario (default 30)
              --warmup N             unmeasured load on the gateway before scenario A (default 30)
              --many-keys-warmup N   unmeasured load with the 1,000 keys before scenario B (default 10)
              --portkey-warmup N     unmeasured load on Portkey before it is measured (default 10)
              --cold-seconds N       load on a restarted gateway, reported per 5 s window (default 30)
              --agents N             agent keys of scenario B (default 1000)
              --connections N        wrk connections (default 32)
              --no-portkey           leave Portkey out
              --jvm-opts "..."       JVM options of every service (default "-Xmx1g -XX:+UseParallelGC")
              --service-java DIR     the JDK the services run on (default: the benchmark's)
              --aot-cache            JDK 25+: the first warm-up is the services' training run for an AOT cache;
                                     they restart from it, the warm-up is repeated, then the scenarios
              --output DIR           data, logs and report (default infra/e2e/target/product-bench)
            """;

    static BenchOptions parse(String[] args, Path projectRoot) {
        int seconds = 30;
        int warmup = 30;
        int manyKeysWarmup = 10;
        int portkeyWarmup = 10;
        int coldSeconds = 30;
        int agents = 1000;
        int connections = 32;
        boolean portkey = true;
        List<String> jvm = List.of("-Xmx1g", "-XX:+UseParallelGC");
        Path serviceJava = null;
        boolean aotCache = false;
        Path output = projectRoot.resolve("infra/e2e/target/product-bench");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--seconds" -> seconds = positive(option, rest);
                case "--warmup" -> warmup = zeroOrMore(option, rest);
                case "--many-keys-warmup" -> manyKeysWarmup = zeroOrMore(option, rest);
                case "--portkey-warmup" -> portkeyWarmup = zeroOrMore(option, rest);
                case "--cold-seconds" -> coldSeconds = zeroOrMore(option, rest);
                case "--agents" -> agents = positive(option, rest);
                case "--connections" -> connections = positive(option, rest);
                case "--no-portkey" -> portkey = false;
                case "--jvm-opts" -> jvm = List.of(value(option, rest).trim().split("\\s+"));
                case "--service-java" -> serviceJava = Path.of(value(option, rest)).toAbsolutePath().normalize();
                case "--aot-cache" -> aotCache = true;
                case "--output" -> output = Path.of(value(option, rest)).toAbsolutePath().normalize();
                case "-h", "--help", "help" -> throw new HelpRequested();
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        // wrk gives each thread its share of the connections; more threads than cores only compete with the product.
        int threads = Math.min(connections, Math.max(1, Runtime.getRuntime().availableProcessors()));
        return new BenchOptions(projectRoot, output, seconds, warmup, manyKeysWarmup, portkeyWarmup, coldSeconds, 5,
                agents, connections, threads, portkey, jvm, serviceJava, aotCache);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static int zeroOrMore(String option, List<String> rest) {
        String text = value(option, rest);
        try {
            int number = Integer.parseInt(text);
            if (number < 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a whole number ≥ 0, not " + text);
        }
    }

    private static int positive(String option, List<String> rest) {
        int number = zeroOrMore(option, rest);
        if (number == 0) {
            throw new IllegalArgumentException(option + " wants a number > 0");
        }
        return number;
    }

    /** {@code --help}: print the usage and stop, successfully. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}

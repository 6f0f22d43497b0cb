package dev.tally.e2e.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The product's processes, found by their command lines the way {@code ps} would show them: each service is the
 * {@code java -jar <module>-….jar} carrying the stack's data-folder marker, Kafka the {@code kafka.Kafka} JVM with the
 * same marker, PostgreSQL the {@code postgres} server started with the stack's port (its backends are its children),
 * Portkey the {@code node …/start-server.js}. Looked up again before each measurement: a restarted gateway has a new
 * pid.
 */
final class ProductProcesses {

    static final List<String> SERVICES = List.of("gateway-service", "ledger-service", "governance-service",
            "analytics-service", "notification-service");

    private final String marker;
    private final int postgresPort;

    ProductProcesses(Path dataDirectory, int postgresPort) {
        // The same marker dev.tally.localstack.Leftovers puts on every process of the stack.
        this.marker = "-Dtally.local-stack=" + dataDirectory.toAbsolutePath().normalize();
        this.postgresPort = postgresPort;
    }

    /** Short name (gateway, ledger, …, kafka, postgres, portkey) → pid, for those running now. */
    Map<String, Long> find() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String service : SERVICES) {
            String jar = "/" + service + "-";
            first(arguments -> arguments.contains(marker) && arguments.stream()
                    .anyMatch(a -> a.contains(jar) && a.endsWith(".jar")))
                    .ifPresent(pid -> pids.put(service.substring(0, service.indexOf('-')), pid));
        }
        first(arguments -> arguments.contains(marker) && arguments.contains("kafka.Kafka"))
                .ifPresent(pid -> pids.put("kafka", pid));
        postmaster().ifPresent(pid -> pids.put("postgres", pid));
        first(arguments -> arguments.stream().anyMatch(a -> a.endsWith("@portkey-ai/gateway/build/start-server.js")))
                .ifPresent(pid -> pids.put("portkey", pid));
        return pids;
    }

    private static Optional<Long> first(Predicate<List<String>> arguments) {
        return ProcessHandle.allProcesses()
                .filter(p -> arguments.test(Arrays.asList(p.info().arguments().orElse(new String[0]))))
                .map(ProcessHandle::pid).findFirst();
    }

    /** The server process, not a backend: a backend's command line is "postgres: user db …", without "-p". */
    private Optional<Long> postmaster() {
        String port = "-p " + postgresPort + " ";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> (c + " ").contains(port)).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }
}

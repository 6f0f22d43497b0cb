package dev.tally.ledger.bench;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.ledger.LedgerServiceApplication;
import dev.tally.ledger.support.LedgerKafkaClient;
import dev.tally.testsupport.TallyInfrastructure;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.reserve;
import static dev.tally.ledger.support.Commands.usage;

/**
 * Drives reserve + record-usage pairs through Kafka → aggregate → PostgreSQL → events, the way gateways do, and prints
 * commands/s at saturation and reply latency at a fixed rate. Everything runs on this machine: broker, database,
 * ledger-service and this load generator share its cores. {@code -Dbench.processes=2} starts a second ledger-service
 * process from the jar, sharing the command partitions with the first. See docs/benchmarks.md for the command and the results.
 */
public final class LedgerBenchmark {

    private static final String OTHER_LEDGERS = "other ledger-service processes (whole process)";

    public static void main(String[] args) throws Exception {
        int ledgers = Integer.getInteger("bench.ledgers", 32);
        int inFlight = Integer.getInteger("bench.inFlight", 64);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int rate = Integer.getInteger("bench.rate", 500);
        int processes = Integer.getInteger("bench.processes", 1);
        int warmup = Integer.getInteger("bench.warmup", 5);

        TallyInfrastructure infra = TallyInfrastructure.shared();
        Map<String, Object> properties = new HashMap<>(infra.springProperties(infra.newDatabase("bench")));
        properties.put("server.port", "0");
        properties.put("logging.level.root", "WARN");
        String[] springArgs = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(LedgerServiceApplication.class)
                .run(springArgs);
                LedgerKafkaClient client = new LedgerKafkaClient(infra.kafkaBootstrapServers());
                OtherLedgerProcesses others = OtherLedgerProcesses.start(processes - 1, properties)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ledgers; i++) {
                String ledgerId = "bench-" + i + "-" + id();
                client.sendAndWait(openLedger(ledgerId));
                client.sendAndWait(purchase(ledgerId, 1_000_000_000L));
                ids.add(ledgerId);
            }
            System.out.printf("warm-up %d s ...%n", warmup);
            saturate(client, ids, inFlight, warmup);
            CpuShares cpu = new CpuShares(java.net.URI.create(((String) properties.get("spring.datasource.url"))
                    .substring("jdbc:".length())).getPort());
            cpu.start();
            others.startCpu();
            Result throughput = saturate(client, ids, inFlight, seconds);
            Map<String, Long> used = cpu.stop();
            if (others.any()) {
                used.put(OTHER_LEDGERS, others.cpuNanos());
            }
            System.out.printf("saturation: %d commands in %d s with %d pairs in flight over %d ledgers and %d "
                            + "ledger-service process(es) = %.0f commands/s (reply latency p50 %.1f ms, p99 %.1f ms)%n",
                    throughput.commands, seconds, inFlight, ledgers, processes,
                    throughput.commands / (double) seconds,
                    throughput.percentile(50), throughput.percentile(99));
            printCpu(used, throughput.commands);
            Result paced = paced(client, ids, rate, seconds);
            System.out.printf("fixed rate %d commands/s for %d s: %d commands, reply latency p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms%n",
                    rate, seconds, paced.commands, paced.percentile(50), paced.percentile(99),
                    paced.percentile(100));
        }
        System.exit(0);
    }

    /**
     * CPU per command by part, and what the ledger-service's own share means: commands a second on one core of its
     * own (the broker, the load generator and PostgreSQL on other cores, as in production).
     */
    private static void printCpu(Map<String, Long> used, long commands) {
        StringBuilder line = new StringBuilder("  CPU ms/command:");
        used.forEach((part, nanos) -> line.append(String.format(" %s %.3f,", part, nanos / 1e6 / commands)));
        System.out.println(line.substring(0, line.length() - 1));
        if (used.containsKey(OTHER_LEDGERS)) {
            double allMs = (used.get(CpuShares.LEDGER) + used.get(OTHER_LEDGERS)) / 1e6 / commands;
            System.out.printf("  all ledger-service processes: %.3f ms of CPU a command%n", allMs);
            return;
        }
        double ledgerMs = used.get(CpuShares.LEDGER) / 1e6 / commands;
        System.out.printf("  ledger-service alone: %.3f ms of CPU a command = %.0f commands/s on one core of its own%n",
                ledgerMs, 1000 / ledgerMs);
    }

    /** Keeps {@code inFlight} reserve→usage pairs going for {@code seconds}. */
    private static Result saturate(LedgerKafkaClient client, List<String> ledgers, int inFlight, int seconds)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong commands = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        while (System.nanoTime() < end) {
            slots.acquire();
            String ledgerId = ledgers.get(n++ % ledgers.size());
            pair(client, ledgerId, latencies, commands).whenComplete((r, e) -> slots.release());
        }
        slots.acquire(inFlight);
        return new Result(commands.get(), latencies);
    }

    /** Starts a pair every {@code 2/rate} seconds, so commands arrive at {@code rate} per second. */
    private static Result paced(LedgerKafkaClient client, List<String> ledgers, int rate, int seconds)
            throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong commands = new AtomicLong();
        long intervalNanos = TimeUnit.SECONDS.toNanos(2) / rate;
        long start = System.nanoTime();
        long pairs = (long) rate * seconds / 2;
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (long i = 0; i < pairs; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            all.add(pair(client, ledgers.get((int) (i % ledgers.size())), latencies, commands));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        return new Result(commands.get(), latencies);
    }

    private static CompletableFuture<LedgerReply> pair(LedgerKafkaClient client, String ledgerId,
            ConcurrentLinkedQueue<Long> latencies, AtomicLong commands) {
        String reservationId = id();
        long reserveSent = System.nanoTime();
        return client.send(reserve(ledgerId, reservationId, 50, 300)).thenCompose(reserved -> {
            latencies.add(System.nanoTime() - reserveSent);
            commands.incrementAndGet();
            if (!(reserved instanceof CommandAcceptedReply)) {
                throw new IllegalStateException("reservation refused: " + reserved);
            }
            long usageSent = System.nanoTime();
            return client.send(usage(ledgerId, reservationId, 30)).thenApply(used -> {
                latencies.add(System.nanoTime() - usageSent);
                commands.incrementAndGet();
                return used;
            });
        });
    }

    private record Result(long commands, ConcurrentLinkedQueue<Long> latencies) {

        double percentile(int p) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1_000_000.0;
        }
    }

    private LedgerBenchmark() {
    }

    static {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }
}

package dev.tally.ledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the benchmark's CPU goes, by part: the broker, the load generator and the ledger-service share one JVM here,
 * and PostgreSQL runs as this JVM's child processes. Its saturation figure is the whole machine's; the ledger's own
 * CPU per command says what one ledger-service process could take on a core of its own.
 * <p>
 * Threads are told apart by name (the broker's, the benchmark client's, the rest the service's); PostgreSQL by the
 * {@code /proc} times of the server listening on the benchmark's port and of its backends, with the children it
 * reaped (the embedded server runs detached from this JVM). The JVM's own threads (JIT
 * compilers, garbage collector) are not Java threads and are left out of every part.
 */
final class CpuShares {

    static final String LEDGER = "ledger-service";
    static final String BROKER = "Kafka broker (in-process)";
    static final String CLIENT = "load generator";
    static final String POSTGRES = "PostgreSQL";
    private static final long TICKS_PER_SECOND = 100;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> threadStart = new HashMap<>();
    private final int postgresPort;
    private long postgresStart;

    CpuShares(int postgresPort) {
        this.postgresPort = postgresPort;
    }

    void start() {
        threadStart.clear();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                threadStart.put(id, cpu);
            }
        }
        postgresStart = postgresCpuNanos();
    }

    /** CPU nanoseconds by part since {@link #start}. Threads started since count from zero. */
    Map<String, Long> stop() {
        Map<String, Long> parts = new LinkedHashMap<>();
        for (String part : new String[] {LEDGER, BROKER, CLIENT, POSTGRES}) {
            parts.put(part, 0L);
        }
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            ThreadInfo info = threads.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            parts.merge(part(info.getThreadName()), cpu - threadStart.getOrDefault(id, 0L), Long::sum);
        }
        parts.put(POSTGRES, postgresCpuNanos() - postgresStart);
        return parts;
    }

    static String part(String thread) {
        if (thread.startsWith("kafka-coordinator-heartbeat-thread")) {
            return LEDGER; // only the service's consumers are in groups
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-") || thread.contains("raft")
                || thread.startsWith("controller-") || thread.startsWith("broker-")
                || thread.startsWith("ExpirationReaper") || thread.startsWith("LogDirFailureHandler")
                || thread.startsWith("group-coordinator") || thread.startsWith("transaction-log-manager")
                || thread.startsWith("quota-") || thread.startsWith("metrics-meter")) {
            return thread.startsWith("kafka-producer-network-thread | ledger-service") ? LEDGER
                    : thread.startsWith("kafka-producer-network-thread") ? CLIENT : BROKER;
        }
        if (thread.equals("main") || thread.startsWith("ledger-reply-poller") || thread.contains("LedgerBenchmark")
                || thread.startsWith("ForkJoinPool")) {
            return CLIENT;
        }
        return LEDGER;
    }

    /** utime + stime of the postmaster on our port and of its live backends, and of the backends it reaped. */
    private long postgresCpuNanos() {
        long postmaster = ProcessHandle.allProcesses().filter(p -> isPostmaster(p.pid())).mapToLong(ProcessHandle::pid)
                .findFirst().orElse(-1);
        if (postmaster < 0) {
            return 0;
        }
        long ticks = ticks(postmaster) + ProcessHandle.allProcesses()
                .filter(p -> p.parent().map(parent -> parent.pid() == postmaster).orElse(false))
                .mapToLong(p -> ticks(p.pid())).sum();
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private boolean isPostmaster(long pid) {
        try {
            String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("-p") && args[i + 1].equals(Integer.toString(postgresPort))
                        && args[0].endsWith("postgres")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (stat's third field): utime, stime, cutime, cstime are stat's 14th to 17th.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

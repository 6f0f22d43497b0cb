package dev.tally.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time from /proc: of each named process with its children (utime + stime of the process and of every live
 * descendant, plus cutime + cstime for the children that already ended), of this JVM (the fake upstream, the lag
 * sampler), of wrk (a child of this JVM, so its time lands in our cutime + cstime when it ends), and of the whole
 * machine (/proc/stat: busy = everything but idle and iowait, across both cores).
 */
final class CpuMeter {

    static final String BENCH_JVM = "bench JVM (fake upstream)";
    static final String WRK = "wrk";
    /** /proc counts clock ticks of USER_HZ = 100 a second. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** CPU nanoseconds by name, and the machine's busy and total ticks (all cores), at one moment. */
    record Snapshot(Map<String, Long> nanos, long busyTicks, long stealTicks, long totalTicks, long wallNanos) {

        Usage minus(Snapshot before) {
            Map<String, Long> used = new LinkedHashMap<>();
            nanos.forEach((name, value) -> {
                Long earlier = before.nanos.get(name);
                // A process that was not there before (a restarted gateway) counts from zero.
                used.put(name, earlier == null ? value : value - earlier);
            });
            return new Usage(used, (busyTicks - before.busyTicks) * NANOS_PER_TICK,
                    (stealTicks - before.stealTicks) * NANOS_PER_TICK, (totalTicks - before.totalTicks) * NANOS_PER_TICK,
                    wallNanos - before.wallNanos);
        }
    }

    /** CPU used between two snapshots. */
    record Usage(Map<String, Long> nanos, long machineBusyNanos, long stealNanos, long machineNanos, long wallNanos) {

        double millisPerRequest(String name, long requests) {
            Long used = nanos.get(name);
            return used == null || requests == 0 ? Double.NaN : used / 1e6 / requests;
        }

        double machineMillisPerRequest(long requests) {
            return requests == 0 ? Double.NaN : machineBusyNanos / 1e6 / requests;
        }

        /**
         * What the machine spent on processes none of the named ones: the kernel's own threads, and anything else
         * running on the machine at the time (a shared machine's other work disturbs every number; this says how much).
         */
        double otherMillisPerRequest(long requests) {
            long named = nanos.values().stream().mapToLong(Long::longValue).sum();
            return requests == 0 ? Double.NaN : Math.max(0, machineBusyNanos - named) / 1e6 / requests;
        }

        double machineBusyPercent() {
            return machineNanos == 0 ? Double.NaN : 100.0 * machineBusyNanos / machineNanos;
        }

        double stealPercent() {
            return machineNanos == 0 ? Double.NaN : 100.0 * stealNanos / machineNanos;
        }

        /** Share of one core the process used over the interval. */
        double percentOfCore(String name) {
            Long used = nanos.get(name);
            return used == null || wallNanos == 0 ? Double.NaN : 100.0 * used / wallNanos;
        }
    }

    Snapshot snapshot(Map<String, Long> pids) throws IOException {
        Map<String, Long> nanos = new LinkedHashMap<>();
        pids.forEach((name, pid) -> nanos.put(name, treeNanos(pid)));
        long[] self = ticks(ProcessHandle.current().pid());
        nanos.put(BENCH_JVM, (self[0] + self[1]) * NANOS_PER_TICK);
        nanos.put(WRK, (self[2] + self[3]) * NANOS_PER_TICK);
        List<String> cpu = List.of(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+"));
        long total = 0;
        for (int i = 1; i <= 8 && i < cpu.size(); i++) {
            total += Long.parseLong(cpu.get(i));
        }
        long idle = Long.parseLong(cpu.get(4)) + Long.parseLong(cpu.get(5));
        return new Snapshot(nanos, total - idle, Long.parseLong(cpu.get(8)), total, System.nanoTime());
    }

    /** The process and its live descendants, each with the time of its children that ended (cutime + cstime). */
    private static long treeNanos(long pid) {
        long ticks = sum(ticks(pid));
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            ticks += sum(ticks(child.pid()));
        }
        return ticks * NANOS_PER_TICK;
    }

    private static long sum(long[] ticks) {
        return ticks[0] + ticks[1] + ticks[2] + ticks[3];
    }

    /** utime, stime, cutime, cstime of /proc/<pid>/stat (fields 14–17); zeros for a process that is gone. */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may hold spaces; everything after its closing parenthesis is fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return new long[4];
        }
    }
}

package dev.tally.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One measured wrk run: each process's CPU and the machine's read before and after, every consumer group's lag
 * sampled each second during the run, read right after it and again five seconds later.
 */
final class MeasuredLoad {

    private static final Duration LAG_SETTLING = Duration.ofSeconds(5);

    private final Wrk wrk;
    private final CpuMeter cpu;
    private final ProductProcesses processes;
    private final ConsumerLag lag;

    MeasuredLoad(Wrk wrk, CpuMeter cpu, ProductProcesses processes, ConsumerLag lag) {
        this.wrk = wrk;
        this.cpu = cpu;
        this.processes = processes;
        this.lag = lag;
    }

    /** What one scenario measured; the lag maps are empty for a target that is not Tally. */
    record Result(String scenario, Wrk.WrkResult wrk, CpuMeter.Usage cpu, Map<String, Long> maxLagDuring,
            Map<String, Long> lagRightAfter, Map<String, Long> lagFiveSecondsLater) {
    }

    /** Unmeasured load: the JIT, the connection pools and the leases get to their steady state. */
    Wrk.WrkResult warm(String url, Path script, Duration duration) throws IOException, InterruptedException {
        return wrk.run(url, script, duration);
    }

    Result measure(String scenario, String url, Path script, Duration duration, boolean withLag)
            throws IOException, InterruptedException {
        Map<String, Long> pids = processes.find();
        CpuMeter.Snapshot before = cpu.snapshot(pids);
        ConsumerLag.MaxSampler sampler = withLag ? new ConsumerLag.MaxSampler(lag) : null;
        Wrk.WrkResult result;
        Map<String, Long> maxLag;
        try {
            result = wrk.run(url, script, duration);
        } finally {
            maxLag = sampler == null ? Map.of() : sampler.stop();
        }
        CpuMeter.Usage used = cpu.snapshot(pids).minus(before);
        Map<String, Long> rightAfter = withLag ? lag.now() : Map.of();
        Map<String, Long> later = Map.of();
        if (withLag) {
            Thread.sleep(LAG_SETTLING.toMillis());
            later = lag.now();
        }
        return new Result(scenario, result, used, maxLag, rightAfter, later);
    }

    /** Load in back-to-back windows, each measured on its own: how a cold gateway warms up. */
    Result window(String name, String url, Path script, Duration duration) throws IOException, InterruptedException {
        Map<String, Long> pids = processes.find();
        CpuMeter.Snapshot before = cpu.snapshot(pids);
        Wrk.WrkResult result = wrk.run(url, script, duration);
        return new Result(name, result, cpu.snapshot(pids).minus(before), Map.of(), Map.of(), Map.of());
    }
}

package dev.tally.e2e.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The benchmark's results as markdown tables: printed at the end and written to the output folder. */
final class Report {

    /** Process columns, in the request's order through the product; then ours. */
    private static final List<String> PROCESSES = List.of("gateway", "ledger", "governance", "analytics",
            "notification", "kafka", "postgres", "portkey", CpuMeter.BENCH_JVM, CpuMeter.WRK);

    private final StringBuilder md = new StringBuilder();

    Report heading(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    Report paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    Report throughput(List<MeasuredLoad.Result> results) {
        md.append("| scenario | requests/s | p50 ms | p99 ms | requests | non-2xx | socket errors |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (MeasuredLoad.Result r : results) {
            md.append(String.format("| %s | **%.0f** | %.2f | %.2f | %,d | %,d | %,d |%n", r.scenario(),
                    r.wrk().requestsPerSecond(), r.wrk().p50Millis(), r.wrk().p99Millis(), r.wrk().requests(),
                    r.wrk().non2xx(), r.wrk().socketErrors()));
        }
        md.append('\n');
        return this;
    }

    Report cpu(List<MeasuredLoad.Result> results) {
        md.append("| scenario | ").append(String.join(" | ", PROCESSES))
                .append(" | other processes | machine | machine busy | of which steal |\n");
        md.append("|---|").append("---|".repeat(PROCESSES.size() + 4)).append('\n');
        for (MeasuredLoad.Result r : results) {
            long requests = r.wrk().requests();
            md.append("| ").append(r.scenario()).append(" | ");
            for (String process : PROCESSES) {
                double ms = r.cpu().millisPerRequest(process, requests);
                md.append(Double.isNaN(ms) ? "–" : String.format("%.3f", ms)).append(" | ");
            }
            md.append(String.format("%.3f | %.3f | %.0f %% | %.0f %% |%n", r.cpu().otherMillisPerRequest(requests),
                    r.cpu().machineMillisPerRequest(requests),
                    r.cpu().machineBusyPercent(), r.cpu().stealPercent()));
        }
        md.append('\n');
        return this;
    }

    Report idle(CpuMeter.Usage idle) {
        List<String> parts = new ArrayList<>();
        for (String process : PROCESSES) {
            double percent = idle.percentOfCore(process);
            if (!Double.isNaN(percent) && !process.equals(CpuMeter.WRK)) {
                parts.add(String.format("%s %.1f %%", process, percent));
            }
        }
        long named = idle.nanos().values().stream().mapToLong(Long::longValue).sum();
        return paragraph(String.format("Idle, no load, %.0f s (share of one core): %s; other processes %.1f %%; "
                + "machine %.0f %% busy (of both cores).", idle.wallNanos() / 1e9, String.join(", ", parts),
                100.0 * Math.max(0, idle.machineBusyNanos() - named) / idle.wallNanos(), idle.machineBusyPercent()));
    }

    /** PostgreSQL's commits per request by database, and its top statements by execution time. */
    Report postgres(String scenario, PostgresActivity.Delta activity, long requests) {
        List<String> commits = new ArrayList<>();
        activity.commits().forEach((database, count) -> commits.add(String.format("%s %.3f", database,
                (double) count / requests)));
        paragraph(String.format("PostgreSQL during %s: commits per request by database: %s. Statements by execution "
                + "time (pg_stat_statements; execution only, without commit and WAL flush):", scenario,
                String.join(", ", commits)));
        md.append("| database | calls per request | ms per request | ms per call | rows per call | statement |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (PostgresActivity.TopStatement statement : activity.statements()) {
            String query = statement.query().replaceAll("\\s+", " ").strip();
            query = query.length() > 110 ? query.substring(0, 110) + "…" : query;
            md.append(String.format("| %s | %.3f | %.3f | %.3f | %.1f | `%s` |%n", statement.database(),
                    (double) statement.calls() / requests, statement.totalMillis() / requests,
                    statement.calls() == 0 ? 0 : statement.totalMillis() / statement.calls(),
                    statement.calls() == 0 ? 0 : (double) statement.rows() / statement.calls(),
                    query.replace("|", "\\|").replace("`", "'")));
        }
        md.append('\n');
        List<String> events = new ArrayList<>();
        long total = activity.ledgerEvents().values().stream().mapToLong(Long::longValue).sum();
        activity.ledgerEvents().forEach((type, count) -> events.add(String.format("%s %.3f", type,
                (double) count / requests)));
        paragraph(String.format("Ledger events appended during %s: %.3f a request (%s).", scenario,
                (double) total / requests, String.join(", ", events)));
        return this;
    }

    Report lag(List<MeasuredLoad.Result> results) {
        Set<String> groups = new LinkedHashSet<>();
        results.forEach(r -> {
            groups.addAll(r.maxLagDuring().keySet());
            groups.addAll(r.lagRightAfter().keySet());
        });
        md.append("| consumer group |");
        for (MeasuredLoad.Result r : results) {
            md.append(String.format(" %s: max during | right after | 5 s later |", r.scenario()));
        }
        md.append("\n|---|").append("---|---|---|".repeat(results.size())).append('\n');
        for (String group : groups) {
            md.append("| ").append(group).append(" |");
            for (MeasuredLoad.Result r : results) {
                md.append(' ').append(count(r.maxLagDuring(), group)).append(" | ")
                        .append(count(r.lagRightAfter(), group)).append(" | ")
                        .append(count(r.lagFiveSecondsLater(), group)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        return this;
    }

    Report cold(double stopSeconds, double restartSeconds, List<MeasuredLoad.Result> windows, int windowSeconds,
            double warmPerSecond) {
        md.append(String.format("Restart of the gateway process: stopped (SIGTERM, graceful shutdown, and an AOT cache "
                + "written if it records one) in %.1f s; started, healthy and its key accepted in %.1f s.%n%n",
                stopSeconds, restartSeconds));
        md.append("| window | requests/s | of warm A | p50 ms | p99 ms | non-2xx | gateway CPU ms/request |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        int half = -1;
        for (int i = 0; i < windows.size(); i++) {
            MeasuredLoad.Result w = windows.get(i);
            double share = 100 * w.wrk().requestsPerSecond() / warmPerSecond;
            if (half < 0 && share >= 50) {
                half = i;
            }
            md.append(String.format("| %d–%d s | %.0f | %.0f %% | %.2f | %.2f | %,d | %.3f |%n", i * windowSeconds,
                    (i + 1) * windowSeconds, w.wrk().requestsPerSecond(), share, w.wrk().p50Millis(),
                    w.wrk().p99Millis(), w.wrk().non2xx(), w.cpu().millisPerRequest("gateway", w.wrk().requests())));
        }
        md.append('\n');
        return paragraph(half < 0
                ? String.format("Half of warm throughput (%.0f requests/s): not reached within %d s.", warmPerSecond / 2,
                        windows.size() * windowSeconds)
                : String.format("Half of warm throughput (%.0f requests/s): reached in the %d–%d s window.",
                        warmPerSecond / 2, half * windowSeconds, (half + 1) * windowSeconds));
    }

    Report checks(List<Exactness.Check> checks) {
        md.append("```\n");
        checks.forEach(check -> md.append(check.line()).append('\n'));
        md.append("```\n\n");
        return this;
    }

    private static String count(Map<String, Long> lags, String group) {
        Long lag = lags.get(group);
        return lag == null ? "–" : String.format("%,d", lag);
    }

    String markdown() {
        return md.toString();
    }
}

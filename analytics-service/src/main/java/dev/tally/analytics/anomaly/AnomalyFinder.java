package dev.tally.analytics.anomaly;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.web.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spend far outside a member's usual pattern: the 24 hours before {@code now} against the daily spend of the
 * {@code baselineDays} 24-hour periods before them (see {@link AnomalyDetector}). Shared by the API and the alerts.
 */
@Component
public class AnomalyFinder {

    private final DatabaseClient db;
    private final GovernanceDirectory directory;

    public AnomalyFinder(DatabaseClient db, GovernanceDirectory directory) {
        this.db = db;
        this.directory = directory;
    }

    /** @param memberKind AGENT, USER, or null for every member; largest spend first */
    public Mono<List<Anomaly>> find(String orgId, int baselineDays, String memberKind, Instant now) {
        var spec = db.sql("select member_id, max(member_kind) as kind, "
                        + "floor(extract(epoch from (:now - occurred_at)) / 86400)::int as bucket, "
                        + "sum(charged_credits) as credits from request "
                        + "where org_id = :org and member_id is not null and occurred_at > :since "
                        + "and occurred_at <= :now" + (memberKind == null ? "" : " and member_kind = :kind")
                        + " group by member_id, bucket")
                .bind("org", orgId).bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("since", now.minusSeconds(86_400L * (baselineDays + 1)).atOffset(ZoneOffset.UTC));
        if (memberKind != null) {
            spec = spec.bind("kind", memberKind);
        }
        Map<String, long[]> days = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        return spec.map(r -> {
                    String member = Rows.string(r, "member_id");
                    kinds.put(member, Rows.string(r, "kind"));
                    int bucket = r.get("bucket", Integer.class);
                    days.computeIfAbsent(member, k -> new long[baselineDays + 1])[Math.min(bucket, baselineDays)]
                            += Rows.longValue(r, "credits");
                    return member;
                }).all().then(Mono.fromSupplier(() -> {
                    List<Anomaly> found = new ArrayList<>();
                    days.forEach((member, series) -> {
                        long[] baseline = Arrays.copyOfRange(series, 1, series.length);
                        var verdict = AnomalyDetector.DEFAULT.judge(series[0], baseline);
                        if (verdict.anomalous()) {
                            found.add(new Anomaly(member, directory.nameOf("member", member), kinds.get(member),
                                    series[0], verdict.baselineMean(), verdict.baselineStddev(), verdict.zScore(),
                                    verdict.ratio()));
                        }
                    });
                    found.sort(Comparator.comparingLong(Anomaly::creditsLast24h).reversed());
                    return found;
                }));
    }
}

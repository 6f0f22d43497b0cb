package dev.tally.analytics.anomaly;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.analytics.auth.Caller;
import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.web.ApiException;
import dev.tally.analytics.web.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spend far outside a member's usual pattern: the last 24 hours against the daily spend of the
 * {@code baseline_days} 24-hour periods before them (see {@link AnomalyDetector}).
 */
@RestController
@RequestMapping("/orgs/{orgId}")
public class AnomalyController {

    private final DatabaseClient db;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public AnomalyController(DatabaseClient db, GovernanceDirectory directory, Clock clock) {
        this.db = db;
        this.directory = directory;
        this.clock = clock;
    }

    public record Anomaly(String memberId, String name, String kind,
            @JsonProperty("credits_last_24h") long creditsLast24h, double baselineDailyMean,
            double baselineDailyStddev, Double zScore, Double ratio) {
    }

    @GetMapping("/anomalies")
    Mono<Map<String, Object>> anomalies(Caller caller, @PathVariable String orgId,
            @RequestParam(name = "baseline_days", defaultValue = "14") int baselineDays,
            @RequestParam(defaultValue = "agent") String kind) {
        caller.requireOrg(orgId);
        if (baselineDays < 3 || baselineDays > 90) {
            throw ApiException.invalid("baseline_days", "must be between 3 and 90");
        }
        String memberKind = switch (kind) {
            case "agent" -> "AGENT";
            case "user" -> "USER";
            case "member" -> null;
            default -> throw ApiException.invalid("kind", "must be agent, user or member");
        };
        Instant now = clock.instant();
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
                        long[] baseline = java.util.Arrays.copyOfRange(series, 1, series.length);
                        var verdict = AnomalyDetector.DEFAULT.judge(series[0], baseline);
                        if (verdict.anomalous()) {
                            found.add(new Anomaly(member, directory.nameOf("member", member), kinds.get(member),
                                    series[0], verdict.baselineMean(), verdict.baselineStddev(), verdict.zScore(),
                                    verdict.ratio()));
                        }
                    });
                    found.sort(java.util.Comparator.comparingLong(Anomaly::creditsLast24h).reversed());
                    return Map.<String, Object>of("as_of", now, "baseline_days", baselineDays, "items", found);
                }));
    }
}

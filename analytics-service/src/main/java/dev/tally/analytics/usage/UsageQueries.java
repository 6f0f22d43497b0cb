package dev.tally.analytics.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.analytics.web.Paging;
import dev.tally.analytics.web.Rows;
import dev.tally.analytics.web.Window;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of the gateway request projection: what was asked, answered and charged. */
@Component
public class UsageQueries {

    private final DatabaseClient db;

    public UsageQueries(DatabaseClient db) {
        this.db = db;
    }

    /** Agent Control's usage-history filters; null means "any". */
    public record Filter(String memberId, String projectId, String model, String provider, String outcome) {
    }

    public record Page(List<UsageRow> items, long total) {
    }

    public Mono<Page> history(String orgId, Window window, Filter filter, Paging paging) {
        StringBuilder where = new StringBuilder("org_id = :org and occurred_at >= :from and occurred_at < :to");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("org", orgId);
        params.put("from", window.from().atOffset(ZoneOffset.UTC));
        params.put("to", window.to().atOffset(ZoneOffset.UTC));
        condition(where, params, "member_id", filter.memberId());
        condition(where, params, "project_id", filter.projectId());
        condition(where, params, "model", filter.model());
        condition(where, params, "provider", filter.provider());
        condition(where, params, "outcome", filter.outcome());
        var items = bind(db.sql("select * from request where " + where
                        + " order by occurred_at desc, request_id limit :limit offset :offset"), params)
                .bind("limit", paging.limit()).bind("offset", paging.offset())
                .map(UsageRow::of).all().collectList();
        var total = bind(db.sql("select count(*) as n from request where " + where), params)
                .map(row -> Rows.longValue(row, "n")).one();
        return Mono.zip(items, total).map(t -> new Page(t.getT1(), t.getT2()));
    }

    public Flux<UsageRow> all(String orgId, Window window, int max) {
        return db.sql("""
                        select * from request where org_id = :org and occurred_at >= :from and occurred_at < :to
                        order by occurred_at, request_id limit :max""")
                .bind("org", orgId).bind("from", window.from().atOffset(ZoneOffset.UTC))
                .bind("to", window.to().atOffset(ZoneOffset.UTC)).bind("max", max)
                .map(UsageRow::of).all();
    }

    /** Agent Control's burn rate; the names are spelled out because snake_case would glue the digits ("last24h"). */
    public record BurnRate(@JsonProperty("credits_last_24h") long creditsLast24h,
            @JsonProperty("credits_last_7d") long creditsLast7d,
            @JsonProperty("daily_average_7d") long dailyAverage7d,
            @JsonProperty("requests_last_24h") long requestsLast24h) {
    }

    public Mono<BurnRate> burnRate(String orgId, Instant now) {
        return db.sql("""
                        select coalesce(sum(charged_credits) filter (where occurred_at >= :day), 0) as day,
                               coalesce(sum(charged_credits), 0) as week,
                               count(*) filter (where occurred_at >= :day) as day_requests
                        from request where org_id = :org and occurred_at >= :week and occurred_at <= :now""")
                .bind("org", orgId).bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("day", now.minusSeconds(86_400).atOffset(ZoneOffset.UTC))
                .bind("week", now.minusSeconds(7 * 86_400).atOffset(ZoneOffset.UTC))
                .map(row -> {
                    long week = Rows.longValue(row, "week");
                    return new BurnRate(Rows.longValue(row, "day"), week, week / 7, Rows.longValue(row, "day_requests"));
                }).one();
    }

    public record DayPoint(LocalDate date, long credits, long requests, long promptTokens, long completionTokens) {
    }

    /** One point per UTC day of the window, days without requests included as zeros so charts keep their scale. */
    public Mono<List<DayPoint>> costTrend(String orgId, Window window) {
        return db.sql("""
                        select (occurred_at at time zone 'UTC')::date as day, sum(charged_credits) as credits,
                               count(*) as requests, sum(prompt_tokens) as prompt, sum(completion_tokens) as completion
                        from request where org_id = :org and occurred_at >= :from and occurred_at < :to
                        group by 1 order by 1""")
                .bind("org", orgId).bind("from", window.from().atOffset(ZoneOffset.UTC))
                .bind("to", window.to().atOffset(ZoneOffset.UTC))
                .map(row -> new DayPoint(row.get("day", LocalDate.class), Rows.longValue(row, "credits"),
                        Rows.longValue(row, "requests"), Rows.longValue(row, "prompt"),
                        Rows.longValue(row, "completion")))
                .all().collectMap(DayPoint::date)
                .map(byDay -> {
                    List<DayPoint> points = new ArrayList<>();
                    LocalDate last = window.to().minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
                    for (LocalDate d = window.from().atZone(ZoneOffset.UTC).toLocalDate(); !d.isAfter(last);
                            d = d.plusDays(1)) {
                        points.add(byDay.getOrDefault(d, new DayPoint(d, 0, 0, 0, 0)));
                    }
                    return points;
                });
    }

    public record Slice(String key, long requests, long credits, long promptTokens, long completionTokens,
            double sharePercent) {
    }

    /** Spend by model or provider; {@code column} is chosen by the controller from a fixed set, never from input. */
    public Mono<List<Slice>> breakdown(String orgId, Window window, String column) {
        return db.sql("select coalesce(" + column + ", '(none)') as k, count(*) as requests, "
                        + "sum(charged_credits) as credits, sum(prompt_tokens) as prompt, "
                        + "sum(completion_tokens) as completion from request "
                        + "where org_id = :org and occurred_at >= :from and occurred_at < :to "
                        + "group by 1 order by credits desc, requests desc, k")
                .bind("org", orgId).bind("from", window.from().atOffset(ZoneOffset.UTC))
                .bind("to", window.to().atOffset(ZoneOffset.UTC))
                .map(row -> new Slice(Rows.string(row, "k"), Rows.longValue(row, "requests"),
                        Rows.longValue(row, "credits"), Rows.longValue(row, "prompt"),
                        Rows.longValue(row, "completion"), 0))
                .all().collectList()
                .map(slices -> {
                    long total = slices.stream().mapToLong(Slice::credits).sum();
                    return slices.stream().map(s -> new Slice(s.key(), s.requests(), s.credits(), s.promptTokens(),
                            s.completionTokens(), total == 0 ? 0 : Math.round(s.credits() * 1000.0 / total) / 10.0))
                            .toList();
                });
    }

    private static void condition(StringBuilder where, Map<String, Object> params, String column, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(column).append(" = :").append(column);
            params.put(column, value.strip());
        }
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec,
            Map<String, Object> params) {
        for (var e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec;
    }
}

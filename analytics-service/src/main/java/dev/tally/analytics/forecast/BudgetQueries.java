package dev.tally.analytics.forecast;

import dev.tally.analytics.web.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

@Component
public class BudgetQueries {

    private final DatabaseClient db;

    public BudgetQueries(DatabaseClient db) {
        this.db = db;
    }

    /** A budget with what its scope was charged in its current window and in the last seven days. */
    public record BudgetSpend(String budgetId, String scopeLevel, String scopeId, String period, long limitCredits,
            String thresholdsPercent, boolean autoDisable, long spentInWindow, long spentLast7d) {
    }

    public Mono<List<BudgetSpend>> budgets(String orgId, Instant now) {
        return db.sql("""
                        select b.budget_id, b.scope_level, b.scope_id, b.period, b.limit_credits,
                               b.thresholds_percent, b.auto_disable,
                               coalesce(sum(s.credits) filter (where s.occurred_at >= case b.period
                                   when 'DAILY' then :day when 'MONTHLY' then :month else :epoch end
                                   and s.occurred_at <= :now), 0) as spent_window,
                               coalesce(sum(s.credits) filter (where s.occurred_at >= :week
                                   and s.occurred_at <= :now), 0) as spent_week
                        from budget b
                        left join scope_spend s on s.org_id = b.org_id and s.scope_level = b.scope_level
                                               and s.scope_id = b.scope_id
                        where b.org_id = :org and not b.removed
                        group by b.budget_id order by b.scope_level, b.scope_id, b.period, b.budget_id""")
                .bind("org", orgId).bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("day", BudgetForecast.windowStart("DAILY", now).atOffset(ZoneOffset.UTC))
                .bind("month", BudgetForecast.windowStart("MONTHLY", now).atOffset(ZoneOffset.UTC))
                .bind("epoch", Instant.EPOCH.atOffset(ZoneOffset.UTC))
                .bind("week", now.minus(BudgetForecast.PACE_WINDOW).atOffset(ZoneOffset.UTC))
                .map(r -> new BudgetSpend(Rows.string(r, "budget_id"), Rows.string(r, "scope_level"),
                        Rows.string(r, "scope_id"), Rows.string(r, "period"), Rows.longValue(r, "limit_credits"),
                        Rows.string(r, "thresholds_percent"), Boolean.TRUE.equals(r.get("auto_disable", Boolean.class)),
                        Rows.longValue(r, "spent_window"), Rows.longValue(r, "spent_week")))
                .all().collectList();
    }

    public record Alert(String eventId, String budgetId, String kind, String scopeLevel, String scopeId,
            String scopeName, String period, LocalDate windowStart, Integer thresholdPercent, long spentCredits,
            long limitCredits, Instant occurredAt) {

        public Alert named(String name) {
            return new Alert(eventId, budgetId, kind, scopeLevel, scopeId, name, period, windowStart,
                    thresholdPercent, spentCredits, limitCredits, occurredAt);
        }
    }

    public Mono<List<Alert>> alerts(String orgId, int limit) {
        return db.sql("select * from budget_alert where org_id = :org order by occurred_at desc, event_id limit :limit")
                .bind("org", orgId).bind("limit", limit)
                .map(r -> new Alert(Rows.string(r, "event_id"), Rows.string(r, "budget_id"), Rows.string(r, "kind"),
                        Rows.string(r, "scope_level"), Rows.string(r, "scope_id"), null, Rows.string(r, "period"),
                        r.get("window_start", LocalDate.class), r.get("threshold_percent", Integer.class),
                        Rows.longValue(r, "spent_credits"), Rows.longValue(r, "limit_credits"),
                        Rows.instant(r, "occurred_at")))
                .all().collectList();
    }
}

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

    /**
     * A budget with what its scope was charged in its current window and in the last seven days, and when it was
     * exhausted in this window (null when it is not).
     */
    public record BudgetSpend(String budgetId, String scopeLevel, String scopeId, String period, long limitCredits,
            String thresholdsPercent, boolean autoDisable, long spentInWindow, long spentLast7d, Instant exhaustedAt) {
    }

    /**
     * Exhaustion is the ledger's word: its BudgetExhausted alert in the current window, for the limit the budget has
     * now (a raised limit is not exhausted by an alert about the old one). It may come before the limit is reached, when
     * a reservation that would pass it is refused. Without such an alert, a budget whose window spend has reached its
     * limit (e.g. a limit lowered below it) was exhausted by the charge that got it there: spend is kept per second,
     * so that is the latest charge of the second in which the running sum reached the limit.
     */
    public Mono<List<BudgetSpend>> budgets(String orgId, Instant now) {
        return db.sql("""
                        with spend as (
                            select b.budget_id, b.org_id, b.scope_level, b.scope_id, b.period, b.limit_credits,
                                   b.thresholds_percent, b.auto_disable,
                                   case b.period when 'DAILY' then :day when 'MONTHLY' then :month else :epoch end
                                       as window_from,
                                   case b.period when 'DAILY' then :day_date when 'MONTHLY' then :month_date
                                       else :epoch_date end as window_date,
                                   coalesce(sum(s.credits) filter (where s.at_second >= case b.period
                                       when 'DAILY' then :day when 'MONTHLY' then :month else :epoch end
                                       and s.at_second <= :now), 0) as spent_window,
                                   coalesce(sum(s.credits) filter (where s.at_second >= :week
                                       and s.at_second <= :now), 0) as spent_week
                            from budget b
                            left join scope_spend s on s.org_id = b.org_id and s.scope_level = b.scope_level
                                                   and s.scope_id = b.scope_id
                            where b.org_id = :org and not b.removed
                            group by b.budget_id)
                        select spend.*, coalesce(
                            (select min(a.occurred_at) from budget_alert a
                             where a.org_id = spend.org_id and a.budget_id = spend.budget_id and a.kind = 'EXHAUSTED'
                               and a.window_start = spend.window_date and a.limit_credits = spend.limit_credits
                               and a.occurred_at <= :now),
                            case when spend.spent_window >= spend.limit_credits and spend.spent_window > 0 then
                                (select min(c.last_at) from (
                                    select s.last_at, sum(s.credits) over (order by s.at_second) as running
                                    from scope_spend s
                                    where s.org_id = spend.org_id and s.scope_level = spend.scope_level
                                      and s.scope_id = spend.scope_id and s.at_second >= spend.window_from
                                      and s.at_second <= :now) c
                                 where c.running >= spend.limit_credits)
                            end) as exhausted_at
                        from spend
                        order by spend.scope_level, spend.scope_id, spend.period, spend.budget_id""")
                .bind("org", orgId).bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("day", BudgetForecast.windowStart("DAILY", now).atOffset(ZoneOffset.UTC))
                .bind("month", BudgetForecast.windowStart("MONTHLY", now).atOffset(ZoneOffset.UTC))
                .bind("epoch", Instant.EPOCH.atOffset(ZoneOffset.UTC))
                .bind("day_date", date(BudgetForecast.windowStart("DAILY", now)))
                .bind("month_date", date(BudgetForecast.windowStart("MONTHLY", now)))
                .bind("epoch_date", date(Instant.EPOCH))
                .bind("week", now.minus(BudgetForecast.PACE_WINDOW).atOffset(ZoneOffset.UTC))
                .map(r -> new BudgetSpend(Rows.string(r, "budget_id"), Rows.string(r, "scope_level"),
                        Rows.string(r, "scope_id"), Rows.string(r, "period"), Rows.longValue(r, "limit_credits"),
                        Rows.string(r, "thresholds_percent"), Boolean.TRUE.equals(r.get("auto_disable", Boolean.class)),
                        Rows.longValue(r, "spent_window"), Rows.longValue(r, "spent_week"),
                        Rows.instant(r, "exhausted_at")))
                .all().collectList();
    }

    /** The ledger dates a budget window by its first UTC day (1970-01-01 for TOTAL). */
    private static LocalDate date(Instant windowStart) {
        return windowStart.atZone(ZoneOffset.UTC).toLocalDate();
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

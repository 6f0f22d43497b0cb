package dev.tally.analytics.forecast;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.web.Paging;
import dev.tally.servicekit.auth.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/orgs/{orgId}")
public class BudgetController {

    private final BudgetQueries queries;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public BudgetController(BudgetQueries queries, GovernanceDirectory directory, Clock clock) {
        this.queries = queries;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * A budget, its fill in the current window and its forecast at the horizon (end of day for DAILY, end of month
     * otherwise).
     */
    public record BudgetView(String budgetId, String scopeLevel, String scopeId, String scopeName, String period,
            long limitCredits, List<Integer> thresholdsPercent, boolean autoDisable, Instant windowStart,
            long spentCredits, double fillPercent, long spentLast7d, Instant forecastAt, long forecastCredits,
            double forecastPercent, boolean forecastExceeds, Instant exhaustedAt) {
    }

    /** Budgets with their fill and month-end forecast: one list serves the dashboard and the forecast route. */
    @GetMapping({"/budgets", "/forecast"})
    Mono<Map<String, Object>> budgets(Caller caller, @PathVariable String orgId) {
        caller.requireOrg(orgId, "organisation", orgId);
        Instant now = clock.instant();
        return budgetViews(orgId, now).map(views -> Map.of("as_of", now, "items", views));
    }

    public Mono<List<BudgetView>> budgetViews(String orgId, Instant now) {
        return queries.budgets(orgId, now).map(rows -> rows.stream().map(b -> {
            var f = BudgetForecast.forecast(b.period(), b.limitCredits(), b.spentInWindow(), b.spentLast7d(),
                    b.exhaustedAt(), now);
            return new BudgetView(b.budgetId(), b.scopeLevel(), b.scopeId(),
                    directory.scopeName(b.scopeLevel(), b.scopeId()), b.period(), b.limitCredits(),
                    thresholds(b.thresholdsPercent()), b.autoDisable(), BudgetForecast.windowStart(b.period(), now),
                    b.spentInWindow(), BudgetForecast.percent(b.spentInWindow(), b.limitCredits()), b.spentLast7d(),
                    f.horizon(), f.projectedCredits(), f.projectedPercent(), f.willExceed(), f.exhaustedAt());
        }).toList());
    }

    /** Threshold crossings and exhaustions, newest first. */
    @GetMapping("/alerts")
    Mono<Map<String, Object>> alerts(Caller caller, @PathVariable String orgId,
            @RequestParam(required = false) Integer limit) {
        caller.requireOrg(orgId, "organisation", orgId);
        return queries.alerts(orgId, Paging.of(limit, 0, 50).limit())
                .map(alerts -> Map.of("items", alerts.stream()
                        .map(a -> a.named(directory.scopeName(a.scopeLevel(), a.scopeId()))).toList()));
    }

    private static List<Integer> thresholds(String csv) {
        return csv == null || csv.isBlank() ? List.of()
                : java.util.Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }
}

package dev.tally.analytics.usage;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.web.Paging;
import dev.tally.analytics.web.Window;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RestController
@RequestMapping("/orgs/{orgId}")
public class UsageController {

    static final Set<String> OUTCOMES = java.util.Arrays.stream(dev.tally.events.gateway.RequestOutcome.values())
            .map(Enum::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final UsageQueries queries;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public UsageController(UsageQueries queries, GovernanceDirectory directory, Clock clock) {
        this.queries = queries;
        this.directory = directory;
        this.clock = clock;
    }

    public record HistoryPage(List<UsageRow> items, int limit, int offset, long total) {
    }

    @GetMapping("/usage")
    Mono<HistoryPage> history(Caller caller, @PathVariable String orgId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days,
            @RequestParam(name = "member_id", required = false) String memberId,
            @RequestParam(name = "project_id", required = false) String projectId,
            @RequestParam(required = false) String model, @RequestParam(required = false) String provider,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        caller.requireOrg(orgId, "organisation", orgId);
        if (status != null && !OUTCOMES.contains(status)) {
            throw ApiException.invalid("status", "must be one of " + new java.util.TreeSet<>(OUTCOMES));
        }
        Paging paging = Paging.of(limit, offset, 50);
        return queries.history(orgId, Window.of(from, to, days, 30, clock.instant()),
                        new UsageQueries.Filter(memberId, projectId, model, provider, status), paging)
                .map(page -> new HistoryPage(page.items().stream()
                        .map(row -> row.named(directory.nameOf("member", row.memberId()))).toList(),
                        paging.limit(), paging.offset(), page.total()));
    }

    @GetMapping("/burn-rate")
    Mono<UsageQueries.BurnRate> burnRate(Caller caller, @PathVariable String orgId) {
        caller.requireOrg(orgId, "organisation", orgId);
        return queries.burnRate(orgId, clock.instant());
    }

    @GetMapping("/cost-trend")
    Mono<Map<String, Object>> costTrend(Caller caller, @PathVariable String orgId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        Window window = Window.of(from, to, days, 30, clock.instant());
        return queries.costTrend(orgId, window).map(points -> Map.of("from", window.from(), "to", window.to(),
                "days", points));
    }

    @GetMapping("/breakdown")
    Mono<Map<String, Object>> breakdown(Caller caller, @PathVariable String orgId,
            @RequestParam(defaultValue = "model") String by,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        String column = switch (by) {
            case "model" -> "model";
            case "provider" -> "provider";
            default -> throw ApiException.invalid("by", "must be model or provider");
        };
        return queries.breakdown(orgId, Window.of(from, to, days, 30, clock.instant()), column)
                .map(slices -> Map.of("by", by, "items", slices));
    }
}

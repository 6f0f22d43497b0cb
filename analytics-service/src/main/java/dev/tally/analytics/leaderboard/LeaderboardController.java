package dev.tally.analytics.leaderboard;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/orgs/{orgId}")
public class LeaderboardController {

    private final LeaderboardQueries queries;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public LeaderboardController(LeaderboardQueries queries, GovernanceDirectory directory, Clock clock) {
        this.queries = queries;
        this.directory = directory;
        this.clock = clock;
    }

    public record Spender(int rank, String id, String name, String kind, long credits, long requests,
            double sharePercent) {
    }

    /** Agent Control's top users, generalised: {@code by} = member, user, agent, project or team. */
    @GetMapping("/top-spenders")
    Mono<Map<String, Object>> topSpenders(Caller caller, @PathVariable String orgId,
            @RequestParam(defaultValue = "member") String by, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        int max = Paging.of(limit, 0, 10).limit();
        Window window = Window.of(from, to, days, 30, clock.instant());
        Mono<List<LeaderboardQueries.Totals>> totals = switch (by) {
            case "member", "team" -> queries.totals(orgId, window, "member_id", null, false);
            case "user" -> queries.totals(orgId, window, "member_id", "USER", false);
            case "agent" -> queries.totals(orgId, window, "member_id", "AGENT", false);
            case "project" -> queries.totals(orgId, window, "project_id", null, false);
            default -> throw ApiException.invalid("by", "must be member, user, agent, project or team");
        };
        return totals.map(rows -> "team".equals(by) ? byTeam(rows) : rows).map(rows -> {
            long all = rows.stream().mapToLong(LeaderboardQueries.Totals::credits).sum();
            List<Spender> ranked = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(max, rows.size()); i++) {
                var r = rows.get(i);
                String kind = switch (by) {
                    case "project" -> "PROJECT";
                    case "team" -> "TEAM";
                    default -> r.memberKind();
                };
                String name = switch (by) {
                    case "project" -> directory.nameOf("project", r.id());
                    case "team" -> directory.nameOf("group", r.id());
                    default -> directory.nameOf("member", r.id());
                };
                ranked.add(new Spender(i + 1, r.id(), name, kind, r.credits(), r.requests(),
                        all == 0 ? 0 : Math.round(r.credits() * 1000.0 / all) / 10.0));
            }
            return Map.of("by", by, "from", window.from(), "to", window.to(), "items", ranked);
        });
    }

    /** A member's spend counts for the team (or agent group) they are in now; members in none count as "(none)". */
    private List<LeaderboardQueries.Totals> byTeam(List<LeaderboardQueries.Totals> members) {
        Map<String, long[]> teams = new LinkedHashMap<>();
        for (var m : members) {
            String group = directory.groupOf(m.id());
            long[] t = teams.computeIfAbsent(group == null ? "(none)" : group, k -> new long[4]);
            t[0] += m.requests();
            t[1] += m.credits();
            t[2] += m.promptTokens();
            t[3] += m.completionTokens();
        }
        return teams.entrySet().stream()
                .map(e -> new LeaderboardQueries.Totals(e.getKey(), null, e.getValue()[0], e.getValue()[1],
                        e.getValue()[2], e.getValue()[3]))
                .sorted(Comparator.comparingLong(LeaderboardQueries.Totals::credits).reversed()
                        .thenComparing(LeaderboardQueries.Totals::id))
                .toList();
    }

    public record Entry(int rank, String memberId, String name, String kind, Double score, long promptTokens,
            long completionTokens, long requests, long credits, Double creditsPerThousandCompletionTokens) {
    }

    /** TokenPool's efficiency leaderboard: completion/prompt tokens of successful requests, best first. */
    @GetMapping("/efficiency")
    Mono<Map<String, Object>> efficiency(Caller caller, @PathVariable String orgId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "min_requests", defaultValue = "1") int minRequests,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        int max = Paging.of(limit, 0, 20).limit();
        if (minRequests < 1) {
            throw ApiException.invalid("min_requests", "must be at least 1");
        }
        Window window = Window.of(from, to, days, 30, clock.instant());
        return queries.totals(orgId, window, "member_id", null, true).map(rows -> {
            var scored = rows.stream()
                    .filter(r -> r.requests() >= minRequests && r.promptTokens() > 0)
                    .sorted(Comparator.comparing((LeaderboardQueries.Totals r) ->
                                    Efficiency.score(r.promptTokens(), r.completionTokens())).reversed()
                            .thenComparing(LeaderboardQueries.Totals::requests, Comparator.reverseOrder())
                            .thenComparing(LeaderboardQueries.Totals::id))
                    .limit(max).toList();
            List<Entry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < scored.size(); i++) {
                var r = scored.get(i);
                entries.add(new Entry(i + 1, r.id(), directory.nameOf("member", r.id()), r.memberKind(),
                        Efficiency.score(r.promptTokens(), r.completionTokens()), r.promptTokens(),
                        r.completionTokens(), r.requests(), r.credits(),
                        Efficiency.creditsPerThousandCompletionTokens(r.credits(), r.completionTokens())));
            }
            return Map.of("from", window.from(), "to", window.to(), "items", entries);
        });
    }
}

package dev.tally.analytics.export;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.usage.UsageQueries;
import dev.tally.analytics.usage.UsageRow;
import dev.tally.analytics.web.Window;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Downloads for finance and BI: cost allocation per team and project (ApexAgent's cross-charging), and raw usage. */
@RestController
@RequestMapping("/orgs/{orgId}/exports")
public class ExportController {

    /** One export is bounded; larger ranges are for the Kafka topics themselves (docs/events.md). */
    static final int MAX_USAGE_ROWS = 100_000;

    private final DatabaseClient db;
    private final UsageQueries usage;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public ExportController(DatabaseClient db, UsageQueries usage, GovernanceDirectory directory, Clock clock) {
        this.db = db;
        this.usage = usage;
        this.directory = directory;
        this.clock = clock;
    }

    public record Allocation(String teamId, String teamName, String projectId, String projectName, long requests,
            long promptTokens, long completionTokens, long credits) {
    }

    static final List<String> ALLOCATION_HEADER = List.of("team_id", "team_name", "project_id", "project_name",
            "requests", "prompt_tokens", "completion_tokens", "credits");

    /**
     * Spend per (team, project): a member's requests are charged to the team they are in now, and to the project
     * the request named (X-Project-ID); requests without one are under an empty project.
     */
    @GetMapping("/cost-allocation")
    Mono<ResponseEntity<?>> costAllocation(Caller caller, @PathVariable String orgId,
            @RequestParam(defaultValue = "csv") String format,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        String fmt = format(format);
        Window window = Window.of(from, to, days, 30, clock.instant());
        return db.sql("""
                        select member_id, project_id, count(*) as requests, sum(prompt_tokens) as prompt,
                               sum(completion_tokens) as completion, sum(charged_credits) as credits
                        from request where org_id = :org and occurred_at >= :from and occurred_at < :to
                        group by member_id, project_id""")
                .bind("org", orgId).bind("from", window.from().atOffset(ZoneOffset.UTC))
                .bind("to", window.to().atOffset(ZoneOffset.UTC))
                .map(r -> new String[] {r.get("member_id", String.class), r.get("project_id", String.class),
                        String.valueOf(r.get("requests")), String.valueOf(r.get("prompt")),
                        String.valueOf(r.get("completion")), String.valueOf(r.get("credits"))})
                .all().collectList()
                .map(rows -> {
                    Map<List<String>, long[]> sums = new java.util.TreeMap<>(
                            java.util.Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
                    for (String[] r : rows) {
                        String team = directory.groupOf(r[0]);
                        long[] s = sums.computeIfAbsent(List.of(team == null ? "" : team, r[1] == null ? "" : r[1]),
                                k -> new long[4]);
                        for (int i = 0; i < 4; i++) {
                            s[i] += Long.parseLong(r[i + 2]);
                        }
                    }
                    List<Allocation> allocations = sums.entrySet().stream().map(e -> {
                        String team = e.getKey().get(0);
                        String project = e.getKey().get(1);
                        long[] s = e.getValue();
                        return new Allocation(blankToNull(team), directory.nameOf("group", blankToNull(team)),
                                blankToNull(project), directory.nameOf("project", blankToNull(project)), s[0], s[1],
                                s[2], s[3]);
                    }).toList();
                    String name = "tally-cost-allocation-" + orgId + "-" + window.from().atZone(ZoneOffset.UTC)
                            .toLocalDate() + "-" + window.to().atZone(ZoneOffset.UTC).toLocalDate();
                    if (fmt.equals("json")) {
                        return attachment(name + ".json", MediaType.APPLICATION_JSON, Map.of("org_id", orgId,
                                "from", window.from(), "to", window.to(), "items", allocations));
                    }
                    return attachment(name + ".csv", CSV, Csv.document(ALLOCATION_HEADER, allocations.stream()
                            .map(a -> List.<Object>of(nz(a.teamId()), nz(a.teamName()), nz(a.projectId()),
                                    nz(a.projectName()), a.requests(), a.promptTokens(), a.completionTokens(),
                                    a.credits()))
                            .toList()));
                });
    }

    static final List<String> USAGE_HEADER = List.of("request_id", "created_at", "member_id", "member_kind",
            "member_name", "project_id", "provider", "model", "requested_model", "status", "http_status",
            "error_code", "input_tokens", "output_tokens", "credits_reserved", "credits_charged", "latency_ms");

    @GetMapping("/usage")
    Mono<ResponseEntity<?>> usage(Caller caller, @PathVariable String orgId,
            @RequestParam(defaultValue = "csv") String format,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer days) {
        caller.requireOrg(orgId, "organisation", orgId);
        String fmt = format(format);
        Window window = Window.of(from, to, days, 30, clock.instant());
        return usage.all(orgId, window, MAX_USAGE_ROWS)
                .map(row -> row.named(directory.nameOf("member", row.memberId()))).collectList()
                .map(rows -> {
                    String name = "tally-usage-" + orgId + "-" + window.from().atZone(ZoneOffset.UTC).toLocalDate()
                            + "-" + window.to().atZone(ZoneOffset.UTC).toLocalDate();
                    if (fmt.equals("json")) {
                        return attachment(name + ".json", MediaType.APPLICATION_JSON, Map.of("org_id", orgId,
                                "from", window.from(), "to", window.to(), "items", rows));
                    }
                    return attachment(name + ".csv", CSV, Csv.document(USAGE_HEADER, rows.stream()
                            .map(ExportController::usageCells).toList()));
                });
    }

    private static List<Object> usageCells(UsageRow r) {
        return java.util.Arrays.asList(r.requestId(), r.createdAt().toString(), r.memberId(), r.memberKind(),
                r.memberName(), r.projectId(), r.provider(), r.model(), r.requestedModel(), r.status(),
                r.httpStatus(), r.errorCode(), r.inputTokens(), r.outputTokens(), r.creditsReserved(),
                r.creditsCharged(), r.latencyMs());
    }

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private static ResponseEntity<?> attachment(String filename, MediaType type, Object body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .contentType(type).body(body);
    }

    private static String format(String format) {
        if (!format.equals("csv") && !format.equals("json")) {
            throw ApiException.invalid("format", "must be csv or json");
        }
        return format;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Object nz(String value) {
        return value == null ? "" : value;
    }
}

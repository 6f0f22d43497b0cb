package dev.tally.analytics.leaderboard;

import dev.tally.analytics.web.Rows;
import dev.tally.analytics.web.Window;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.ZoneOffset;
import java.util.List;

@Component
public class LeaderboardQueries {

    private final DatabaseClient db;

    public LeaderboardQueries(DatabaseClient db) {
        this.db = db;
    }

    /** Totals per member (or project) and, for members, their kind. */
    public record Totals(String id, String memberKind, long requests, long credits, long promptTokens,
            long completionTokens) {
    }

    /**
     * @param column {@code member_id} or {@code project_id}, chosen by the controller from a fixed set
     * @param kind   AGENT or USER to keep one kind of member, or null
     */
    public Mono<List<Totals>> totals(String orgId, Window window, String column, String kind, boolean successOnly) {
        String where = "org_id = :org and occurred_at >= :from and occurred_at < :to and " + column + " is not null"
                + (kind == null ? "" : " and member_kind = :kind")
                + (successOnly ? " and outcome in ('SUCCESS', 'CLIENT_DISCONNECTED')" : "");
        var spec = db.sql("select " + column + " as id, max(member_kind) as kind, count(*) as requests, "
                        + "sum(charged_credits) as credits, sum(prompt_tokens) as prompt, "
                        + "sum(completion_tokens) as completion from request where " + where
                        + " group by 1 order by credits desc, requests desc, id")
                .bind("org", orgId).bind("from", window.from().atOffset(ZoneOffset.UTC))
                .bind("to", window.to().atOffset(ZoneOffset.UTC));
        if (kind != null) {
            spec = spec.bind("kind", kind);
        }
        return spec.map(row -> new Totals(Rows.string(row, "id"), Rows.string(row, "kind"),
                Rows.longValue(row, "requests"), Rows.longValue(row, "credits"), Rows.longValue(row, "prompt"),
                Rows.longValue(row, "completion"))).all().collectList();
    }
}

package dev.tally.analytics.projection;

import dev.tally.events.gateway.GatewayRequestRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.List;

import static dev.tally.analytics.projection.Columns.of;

/**
 * Projects gateway request records, a whole poll in one multi-row insert (one statement, so one transaction). The
 * request id is the primary key, so a duplicate is counted once, whether it came in an earlier poll or in the same.
 */
@Component
public class RequestProjector {

    private final DatabaseClient db;

    public RequestProjector(DatabaseClient db) {
        this.db = db;
    }

    /** @return how many requests were new */
    public Mono<Long> project(List<GatewayRequestRecord> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0L);
        }
        return db.sql("""
                        insert into request (request_id, org_id, member_id, member_kind, key_id, project_id,
                            requested_model, model, provider, stream, priority, outcome, http_status, error_code,
                            budget_id, prompt_tokens, completion_tokens, reserved_credits, charged_credits, latency_ms,
                            occurred_at)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:members as text[]),
                            cast(:kinds as text[]), cast(:keys as text[]), cast(:projects as text[]),
                            cast(:requested as text[]), cast(:models as text[]), cast(:providers as text[]),
                            cast(:streams as boolean[]), cast(:priorities as text[]), cast(:outcomes as text[]),
                            cast(:statuses as int[]), cast(:errors as text[]), cast(:budgets as text[]),
                            cast(:prompts as bigint[]), cast(:completions as bigint[]), cast(:reserved as bigint[]),
                            cast(:charged as bigint[]), cast(:latencies as bigint[]), cast(:ats as timestamptz[]))
                        on conflict (request_id) do nothing""")
                .bind("ids", of(rows, GatewayRequestRecord::requestId, String[]::new))
                .bind("orgs", of(rows, GatewayRequestRecord::orgId, String[]::new))
                .bind("members", of(rows, GatewayRequestRecord::memberId, String[]::new))
                .bind("kinds", of(rows, r -> r.memberKind() == null ? null : r.memberKind().name(), String[]::new))
                .bind("keys", of(rows, GatewayRequestRecord::keyId, String[]::new))
                .bind("projects", of(rows, GatewayRequestRecord::projectId, String[]::new))
                .bind("requested", of(rows, GatewayRequestRecord::requestedModel, String[]::new))
                .bind("models", of(rows, GatewayRequestRecord::model, String[]::new))
                .bind("providers", of(rows, GatewayRequestRecord::provider, String[]::new))
                .bind("streams", of(rows, GatewayRequestRecord::stream, Boolean[]::new))
                .bind("priorities", of(rows, GatewayRequestRecord::priority, String[]::new))
                .bind("outcomes", of(rows, r -> r.outcome().name(), String[]::new))
                .bind("statuses", of(rows, GatewayRequestRecord::httpStatus, Integer[]::new))
                .bind("errors", of(rows, GatewayRequestRecord::errorCode, String[]::new))
                .bind("budgets", of(rows, GatewayRequestRecord::budgetId, String[]::new))
                .bind("prompts", of(rows, GatewayRequestRecord::promptTokens, Long[]::new))
                .bind("completions", of(rows, GatewayRequestRecord::completionTokens, Long[]::new))
                .bind("reserved", of(rows, GatewayRequestRecord::reservedCredits, Long[]::new))
                .bind("charged", of(rows, GatewayRequestRecord::chargedCredits, Long[]::new))
                .bind("latencies", of(rows, GatewayRequestRecord::latencyMs, Long[]::new))
                .bind("ats", of(rows, r -> LedgerRows.time(r.occurredAt()), OffsetDateTime[]::new))
                .fetch().rowsUpdated();
    }
}

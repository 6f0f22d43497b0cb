package dev.tally.analytics.projection;

import dev.tally.events.gateway.GatewayRequestRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Projects one gateway request record; the request id is the primary key, so a duplicate is counted once. */
@Component
public class RequestProjector {

    private final DatabaseClient db;

    public RequestProjector(DatabaseClient db) {
        this.db = db;
    }

    /** @return whether the request was new */
    public Mono<Boolean> project(GatewayRequestRecord r) {
        return db.sql("""
                        insert into request (request_id, org_id, member_id, member_kind, key_id, project_id,
                            requested_model, model, provider, stream, priority, outcome, http_status, error_code,
                            budget_id, prompt_tokens, completion_tokens, reserved_credits, charged_credits, latency_ms,
                            occurred_at)
                        values (:id, :org, :member, :kind, :key, :project, :requested, :model, :provider, :stream,
                            :priority, :outcome, :status, :error, :budget, :prompt, :completion, :reserved, :charged,
                            :latency, :at)
                        on conflict (request_id) do nothing""")
                .bind("id", r.requestId()).bind("org", r.orgId())
                .bind("member", text(r.memberId()))
                .bind("kind", text(r.memberKind() == null ? null : r.memberKind().name()))
                .bind("key", text(r.keyId())).bind("project", text(r.projectId()))
                .bind("requested", text(r.requestedModel())).bind("model", text(r.model()))
                .bind("provider", text(r.provider())).bind("stream", r.stream())
                .bind("priority", text(r.priority())).bind("outcome", r.outcome().name())
                .bind("status", r.httpStatus()).bind("error", text(r.errorCode())).bind("budget", text(r.budgetId()))
                .bind("prompt", r.promptTokens()).bind("completion", r.completionTokens())
                .bind("reserved", r.reservedCredits()).bind("charged", r.chargedCredits())
                .bind("latency", r.latencyMs()).bind("at", LedgerProjector.time(r.occurredAt()))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    private static Parameter text(String value) {
        return Parameter.fromOrEmpty(value, String.class);
    }
}

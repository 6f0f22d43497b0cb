package dev.tally.analytics.usage;

import dev.tally.analytics.web.Rows;
import io.r2dbc.spi.Readable;

import java.time.Instant;

/**
 * One request in the usage history, with Agent Control's fields: {@code provider, model, input_tokens, output_tokens,
 * credits_charged, latency_ms, status, error_code} and who sent it ({@code member_id}, {@code member_kind}: Agent Control's
 * {@code agent_id} is a member of kind AGENT). {@code status} is the gateway's outcome (SUCCESS, BUDGET_EXCEEDED, …).
 */
public record UsageRow(String requestId, Instant createdAt, String memberId, String memberKind, String memberName,
        String keyId, String projectId, String provider, String model, String requestedModel, boolean fallback,
        boolean stream, String priority, String status, int httpStatus, String errorCode, long inputTokens,
        long outputTokens, long creditsReserved, long creditsCharged, long latencyMs) {

    static UsageRow of(Readable r) {
        String model = Rows.string(r, "model");
        String requested = Rows.string(r, "requested_model");
        Integer status = r.get("http_status", Integer.class);
        return new UsageRow(Rows.string(r, "request_id"), Rows.instant(r, "occurred_at"), Rows.string(r, "member_id"),
                Rows.string(r, "member_kind"), null, Rows.string(r, "key_id"), Rows.string(r, "project_id"),
                Rows.string(r, "provider"), model, requested,
                model != null && requested != null && !model.equals(requested),
                Boolean.TRUE.equals(r.get("stream", Boolean.class)), Rows.string(r, "priority"),
                Rows.string(r, "outcome"), status == null ? 0 : status, Rows.string(r, "error_code"),
                Rows.longValue(r, "prompt_tokens"), Rows.longValue(r, "completion_tokens"),
                Rows.longValue(r, "reserved_credits"), Rows.longValue(r, "charged_credits"),
                Rows.longValue(r, "latency_ms"));
    }

    public UsageRow named(String name) {
        return new UsageRow(requestId, createdAt, memberId, memberKind, name, keyId, projectId, provider, model,
                requestedModel, fallback, stream, priority, status, httpStatus, errorCode, inputTokens, outputTokens,
                creditsReserved, creditsCharged, latencyMs);
    }
}

package dev.tally.events.gateway;

import dev.tally.events.governance.MemberKind;

import java.time.Instant;

/**
 * One request through the gateway, on {@code tally.gateway.requests} (key: org id). Counts and money only: no
 * message or completion content is ever part of it, whatever the privacy mode.
 *
 * @param requestedModel  the model the client asked for
 * @param model           the model that answered; differs when a cheaper fallback was used
 * @param endpoint        the API the request called: {@code chat.completions}, {@code completions},
 *                        {@code embeddings}, {@code messages} or {@code responses}; null in records written before the gateway served
 *                        more than chat
 * @param reservedCredits what the ledger held for the request (0 when it was refused before reserving)
 * @param chargedCredits  what the ledger charged
 * @param budgetId        the budget that refused the request, for BUDGET_EXCEEDED
 * @param latencyMs       from the request's arrival to the last byte of the answer
 * @param providerLatencyMs the part of latencyMs spent waiting for the provider
 */
public record GatewayRequestRecord(String requestId, String orgId, String memberId, MemberKind memberKind,
        String keyId, String projectId, String requestedModel, String model, String provider, String endpoint,
        boolean stream, boolean privacyStrict, String priority, RequestOutcome outcome, int httpStatus,
        String errorCode, String budgetId, long promptTokens, long completionTokens, long reservedCredits,
        long chargedCredits, long latencyMs, long providerLatencyMs, Instant occurredAt) {

    /** A record that does not say which API was called, as every record did before the gateway served more than chat. */
    public GatewayRequestRecord(String requestId, String orgId, String memberId, MemberKind memberKind, String keyId,
            String projectId, String requestedModel, String model, String provider, boolean stream,
            boolean privacyStrict, String priority, RequestOutcome outcome, int httpStatus, String errorCode,
            String budgetId, long promptTokens, long completionTokens, long reservedCredits, long chargedCredits,
            long latencyMs, long providerLatencyMs, Instant occurredAt) {
        this(requestId, orgId, memberId, memberKind, keyId, projectId, requestedModel, model, provider, null, stream,
                privacyStrict, priority, outcome, httpStatus, errorCode, budgetId, promptTokens, completionTokens,
                reservedCredits, chargedCredits, latencyMs, providerLatencyMs, occurredAt);
    }
}

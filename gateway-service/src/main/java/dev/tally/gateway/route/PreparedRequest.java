package dev.tally.gateway.route;

import dev.tally.events.governance.PriceState;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.policy.EffectivePolicy;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A request that passed every check before money: who, which model at which price, how many tokens at most, and
 * which accounts and budgets the reservation covers.
 *
 * @param body            the client's body with model and the output limit set to what is reserved
 * @param requestedModel  the model the client asked for (differs from {@code model} after a fallback)
 * @param promptTokens    the most input tokens the provider can bill ({@link dev.tally.gateway.pricing.PromptMeter})
 * @param output          the output limit per choice and the number of choices
 * @param outputTokens    the most output tokens the provider can bill: every choice at its limit, plus a prediction
 * @param reservedCredits the most this request can cost: promptTokens and outputTokens, priced, rounded up
 * @param fallbackReason  why another model replaced the requested one: budget_warning or budget_exceeded (a
 *                        cheaper model of the policy's), or a fallback chain's provider_error,
 *                        context_length_exceeded or budget_exceeded
 */
public record PreparedRequest(String requestId, long startedNanos, Principal principal, RequestHeaders headers,
        ObjectNode body, boolean stream, String requestedModel, String model, PriceState price, EffectivePolicy policy,
        int promptTokens, OutputLimit output, long outputTokens, long reservedCredits, List<Scope> scopes,
        List<String> accountIds, Priority priority, String fallbackReason) {

    /** The output limit of one choice: what the upstream receives as max_tokens or max_completion_tokens. */
    public int maxTokens() {
        return output.perChoice();
    }

    public String orgId() {
        return principal.org().id();
    }

    /** The same request, replacing the requested model for {@code reason}. */
    public PreparedRequest because(String reason) {
        return new PreparedRequest(requestId, startedNanos, principal, headers, body, stream, requestedModel, model,
                price, policy, promptTokens, output, outputTokens, reservedCredits, scopes, accountIds, priority,
                reason);
    }

    /** The same request, drawing on other accounts with one more scope whose budgets must allow it. */
    public PreparedRequest drawingOn(List<String> otherAccountIds, Scope extraScope) {
        List<Scope> widened = new java.util.ArrayList<>(scopes);
        widened.add(extraScope);
        return new PreparedRequest(requestId, startedNanos, principal, headers, body, stream, requestedModel, model,
                price, policy, promptTokens, output, outputTokens, reservedCredits, List.copyOf(widened),
                List.copyOf(otherAccountIds), priority, fallbackReason);
    }
}

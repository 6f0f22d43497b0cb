package dev.tally.gateway.route;

import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.ModelFamily;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The most output a request can be billed: {@code perChoice} tokens (the client's {@code max_completion_tokens} or
 * {@code max_tokens}, else the policy's or the default, capped by the policy's {@code max_output_tokens}) for each of
 * {@code choices} choices ({@code n}, or legacy {@code best_of} when larger: every candidate is generated and billed).
 * Remembers which field the client sent, so the upstream gets the same one whichever model serves it.
 */
public record OutputLimit(int perChoice, int choices, boolean sentMaxTokens, boolean sentMaxCompletionTokens) {

    static final int MAX_CHOICES = 128;

    public static OutputLimit of(ObjectNode body, Integer policyMax, int defaultMax) {
        Integer completion = positiveInt(body, "max_completion_tokens");
        Integer legacy = positiveInt(body, "max_tokens");
        Integer requested = completion != null ? completion : legacy;
        int perChoice = requested != null ? requested : policyMax != null ? policyMax : defaultMax;
        if (policyMax != null) {
            perChoice = Math.min(perChoice, policyMax);
        }
        int n = choices(body, "n");
        int bestOf = choices(body, "best_of");
        return new OutputLimit(perChoice, Math.max(n, bestOf), legacy != null, completion != null);
    }

    /** The output tokens held for: every choice at its maximum. */
    public long tokens() {
        return (long) perChoice * choices;
    }

    /**
     * Refuses what the family cannot serve as asked: Anthropic's Messages API answers one choice, so n (or best_of)
     * above 1 would be billed once and answered once while the client asked for several.
     */
    void check(ModelFamily family, String model) {
        if (family.anthropic() && choices > 1) {
            throw GatewayException.badRequest("invalid_value", "'n' (and 'best_of') must be 1 for " + model
                    + ": Anthropic models answer one choice per request.", "n");
        }
    }

    /**
     * Sets the upstream's output limit: the field the client sent, capped; when it sent none, {@code
     * max_completion_tokens} to OpenAI's reasoning families (which refuse {@code max_tokens}) and {@code max_tokens} to
     * the rest. Servers other than OpenAI's always get {@code max_tokens} too, as not all of them read the newer field.
     */
    public void writeTo(ObjectNode body, ModelFamily family) {
        body.remove("max_tokens");
        body.remove("max_completion_tokens");
        boolean completion = sentMaxCompletionTokens || (!sentMaxTokens && family.reasoning());
        boolean legacy = sentMaxTokens || !completion || !family.openAi();
        if (completion) {
            body.put("max_completion_tokens", perChoice);
        }
        if (legacy) {
            body.put("max_tokens", perChoice);
        }
    }

    private static int choices(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return 1;
        }
        if (!BodyFields.integerIn(value, 1, MAX_CHOICES)) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must be an integer from 1 to "
                    + MAX_CHOICES + ".", field);
        }
        return value.asInt();
    }

    static Integer positiveInt(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!BodyFields.integerIn(value, 1, Integer.MAX_VALUE)) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must be a positive integer.", field);
        }
        return value.asInt();
    }
}

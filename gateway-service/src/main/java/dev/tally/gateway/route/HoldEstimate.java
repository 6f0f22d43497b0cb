package dev.tally.gateway.route;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.PromptMeter;
import tools.jackson.databind.JsonNode;

/**
 * What a request is held for on one model: the most input tokens its provider can bill, the most output tokens
 * (every choice at its limit, plus a prediction's text), and their price in credits, rounded up (at least 1).
 */
public record HoldEstimate(ModelFamily family, int inputTokens, long outputTokens, long credits) {

    public static HoldEstimate of(PromptMeter meter, String model, PriceState price, long creditsPerUsd,
            JsonNode body, OutputLimit output) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        output.check(family, model);
        int input = meter.inputTokens(family, body);
        long outputTokens = output.tokens() + meter.predictionTokens(family, body);
        long credits = CreditPricing.credits(price, creditsPerUsd, input, outputTokens);
        return new HoldEstimate(family, input, outputTokens, Math.max(1, credits));
    }
}

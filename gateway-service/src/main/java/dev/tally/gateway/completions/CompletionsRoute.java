package dev.tally.gateway.completions;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.embeddings.EmbeddingModels;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.provider.UpstreamApi;
import dev.tally.gateway.route.BodyFields;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import dev.tally.gateway.route.Route;
import dev.tally.gateway.route.TextInputs;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/completions}, OpenAI's legacy text completions (gpt-3.5-turbo-instruct, davinci-002, and models on
 * OpenAI-compatible servers). Each prompt is completed {@code best_of} times (at least {@code n}), every candidate to
 * {@code max_tokens}, so that is the output held; an echoed prompt comes back in every choice, and is held as output
 * too.
 */
@Component
public class CompletionsRoute implements Route {

    /** OpenAI's default for this endpoint when {@code max_tokens} is left out. */
    static final int DEFAULT_MAX_TOKENS = 16;
    static final int MAX_N = 128;
    static final int MAX_BEST_OF = 20;
    static final int MAX_STOP_SEQUENCES = 4;
    /** OpenAI states no limit on the number of prompts; this keeps one body from holding an absurd amount. */
    static final int MAX_PROMPTS = 2048;

    private final Tokenizer tokenizer;
    private final ProviderRouter providers;

    public CompletionsRoute(Tokenizer tokenizer, ProviderRouter providers) {
        this.tokenizer = tokenizer;
        this.providers = providers;
    }

    @Override
    public String endpoint() {
        return "completions";
    }

    @Override
    public UpstreamApi api() {
        return UpstreamApi.COMPLETIONS;
    }

    @Override
    public void validate(ObjectNode body) {
        prompts(body);
        BodyFields.integer(body, "max_tokens", 0, Integer.MAX_VALUE);
        Integer n = BodyFields.integer(body, "n", 1, MAX_N);
        Integer bestOf = BodyFields.integer(body, "best_of", 1, MAX_BEST_OF);
        if (bestOf != null && bestOf < (n == null ? 1 : n)) {
            throw GatewayException.badRequest("invalid_value", "'best_of' (" + bestOf + ") must be at least 'n' ("
                    + n + "): best_of candidates are generated and the best n returned.", "best_of");
        }
        BodyFields.bool(body, "echo");
        BodyFields.bool(body, "stream");
        BodyFields.string(body, "suffix");
        stop(body);
    }

    @Override
    public void checkServes(String model, PriceState price) {
        if (!providers.serves(price.provider(), UpstreamApi.COMPLETIONS)
                || ModelFamily.of(model, price.provider()).anthropic()) {
            throw GatewayException.badRequest("model_not_supported", "The model '" + model + "' does not serve "
                    + "legacy completions (/v1/completions); send it to /v1/chat/completions.", "model");
        }
        if (EmbeddingModels.embedding(model)) {
            throw GatewayException.badRequest("model_not_supported", "The model '" + model + "' is an embedding "
                    + "model and does not serve legacy completions; send it to /v1/embeddings.", "model");
        }
    }

    /** {@code max_tokens} (16 when left out, not the policy's maximum) capped by the policy, per choice. */
    @Override
    public OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens) {
        Integer requested = BodyFields.integer(body, "max_tokens", 0, Integer.MAX_VALUE);
        int perChoice = requested != null ? requested : DEFAULT_MAX_TOKENS;
        if (policyMaxOutputTokens != null) {
            perChoice = Math.min(perChoice, policyMaxOutputTokens);
        }
        Integer n = BodyFields.integer(body, "n", 1, MAX_N);
        Integer bestOf = BodyFields.integer(body, "best_of", 1, MAX_BEST_OF);
        int choices = Math.max(n == null ? 1 : n, bestOf == null ? 1 : bestOf);
        return new OutputLimit(perChoice, choices, true, false);
    }

    /**
     * Input: every prompt, each with the suffix, once. Output: for every prompt, {@code best_of} (or {@code n})
     * candidates of {@code max_tokens}, each repeating its prompt when {@code echo} is set.
     */
    @Override
    public HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body,
            OutputLimit output) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        long[] prompts = prompts(body).tokens(tokenizer, family);
        String suffix = BodyFields.string(body, "suffix");
        long suffixTokens = suffix == null ? 0 : (long) Math.ceil(tokenizer.count(family, suffix) * family.textFactor());
        boolean echo = BodyFields.bool(body, "echo");
        long input = 0;
        long outputTokens = 0;
        for (long prompt : prompts) {
            input += prompt + suffixTokens;
            outputTokens += (long) output.choices() * (output.perChoice() + (echo ? prompt : 0));
        }
        long credits = CreditPricing.credits(price, creditsPerUsd, input, outputTokens);
        return new HoldEstimate(family, (int) Math.min(Integer.MAX_VALUE, input), outputTokens, Math.max(1, credits));
    }

    /** The client's body with {@code max_tokens} set to what is held per choice (the only limit this API reads). */
    @Override
    public ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family) {
        ObjectNode forwarded = body.deepCopy();
        forwarded.put("max_tokens", output.perChoice());
        return forwarded;
    }

    @Override
    public String inputField() {
        return "prompt";
    }

    private static TextInputs prompts(ObjectNode body) {
        return TextInputs.read(body.get("prompt"), "prompt", true, MAX_PROMPTS);
    }

    private static void stop(ObjectNode body) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull() || stop.isString()) {
            return;
        }
        boolean strings = stop.isArray() && stop.size() <= MAX_STOP_SEQUENCES;
        for (JsonNode sequence : stop) {
            strings &= sequence.isString();
        }
        if (!strings) {
            throw GatewayException.badRequest("invalid_type", "'stop' must be a string or an array of up to "
                    + MAX_STOP_SEQUENCES + " strings.", "stop");
        }
    }
}

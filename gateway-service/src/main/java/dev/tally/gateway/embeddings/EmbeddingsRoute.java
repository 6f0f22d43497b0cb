package dev.tally.gateway.embeddings;

import dev.tally.events.governance.PriceState;
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
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.OptionalInt;

/**
 * {@code POST /v1/embeddings}. An embedding bills its input alone, so the hold is the input's tokens, counted with the
 * model family's tokenizer (token ids count themselves), at the model's input price; nothing is generated.
 */
@Component
public class EmbeddingsRoute implements Route {

    /** No output: the provider's request gets no output limit, and nothing is held for output. */
    private static final OutputLimit NO_OUTPUT = new OutputLimit(0, 1, false, false);

    private final Tokenizer tokenizer;
    private final ProviderRouter providers;

    public EmbeddingsRoute(Tokenizer tokenizer, ProviderRouter providers) {
        this.tokenizer = tokenizer;
        this.providers = providers;
    }

    @Override
    public String endpoint() {
        return "embeddings";
    }

    @Override
    public UpstreamApi api() {
        return UpstreamApi.EMBEDDINGS;
    }

    @Override
    public void validate(ObjectNode body) {
        TextInputs.read(body.get("input"), "input", false, EmbeddingModels.MAX_INPUTS);
        BodyFields.integer(body, "dimensions", 1, Integer.MAX_VALUE);
        BodyFields.oneOf(body, "encoding_format", List.of("float", "base64"));
        BodyFields.string(body, "user");
        if (BodyFields.bool(body, "stream")) {
            throw GatewayException.badRequest("invalid_value", "Embeddings are not streamed: 'stream' must be false "
                    + "or left out.", "stream");
        }
    }

    @Override
    public void checkServes(String model, PriceState price) {
        if (!providers.serves(price.provider(), UpstreamApi.EMBEDDINGS)) {
            throw GatewayException.badRequest("model_not_supported", "The model '" + model + "' has no embeddings "
                    + "endpoint: its provider '" + price.provider() + "' serves chat completions only.", "model");
        }
        ModelFamily family = ModelFamily.of(model, price.provider());
        if (family.anthropic() || (family.openAi() && !EmbeddingModels.embedding(model))) {
            throw GatewayException.badRequest("model_not_supported", "The model '" + model + "' is a chat model and "
                    + "has no embeddings endpoint; use an embedding model such as text-embedding-3-small.", "model");
        }
    }

    @Override
    public OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens) {
        return NO_OUTPUT;
    }

    @Override
    public HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body,
            OutputLimit output) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        TextInputs inputs = TextInputs.read(body.get("input"), "input", false, EmbeddingModels.MAX_INPUTS);
        long[] tokens = inputs.tokens(tokenizer, family);
        OptionalInt perInput = EmbeddingModels.maxInputTokens(model);
        long total = 0;
        boolean several = body.get("input").isArray() && !body.get("input").get(0).isNumber();
        for (int i = 0; i < tokens.length; i++) {
            if (perInput.isPresent() && tokens[i] > perInput.getAsInt()) {
                String field = several ? "input[" + i + "]" : "input";
                throw GatewayException.badRequest("invalid_value", "'" + field + "' has " + tokens[i] + " tokens; "
                        + model + " takes at most " + perInput.getAsInt() + " per input.", field);
            }
            total += tokens[i];
        }
        OptionalInt perRequest = EmbeddingModels.maxRequestTokens(model);
        if (perRequest.isPresent() && total > perRequest.getAsInt()) {
            throw GatewayException.badRequest("invalid_value", "'input' has " + total + " tokens in all; " + model
                    + " takes at most " + perRequest.getAsInt() + " in one request.", "input");
        }
        long credits = CreditPricing.credits(price, creditsPerUsd, total, 0);
        return new HoldEstimate(family, (int) Math.min(Integer.MAX_VALUE, total), 0, Math.max(1, credits));
    }

    @Override
    public ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family) {
        return body.deepCopy();
    }

    @Override
    public String inputField() {
        return "input";
    }
}

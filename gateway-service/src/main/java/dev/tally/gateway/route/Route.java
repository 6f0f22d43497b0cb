package dev.tally.gateway.route;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.provider.UpstreamApi;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one API route knows about its requests; everything else (key, policy, rate limits, the hold, the provider
 * call, the charge, the request record) is the same for every route ({@code RequestPreparer}, {@link MoneyPath}).
 * Answers keep the provider's shape, with {@code x_platform} added at the top of the JSON body (or of the usage
 * chunk of a stream), and how an answer's usage is read is the upstream API's ({@link UpstreamApi}).
 */
public interface Route {

    /**
     * The API as the request record names it: {@code chat.completions}, {@code completions}, {@code embeddings},
     * {@code messages}, {@code responses}.
     */
    String endpoint();

    /** The provider API the request is forwarded to. */
    UpstreamApi api();

    /** Refuses a body this route cannot take, with a 400 naming the field; {@code model} is checked already. */
    void validate(ObjectNode body);

    /**
     * Refuses what the body names that belongs to another organisation (a stored response it continues); nothing by
     * default.
     */
    default void checkAccess(dev.tally.gateway.auth.Principal principal, ObjectNode body) {
    }

    /** Refuses, with a 400 saying so, a model (or its provider) that has no such endpoint. */
    void checkServes(String model, PriceState price);

    /** The most output the request can be billed per choice, and its number of choices. */
    OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens);

    /**
     * The hold: the most input and output tokens the provider can bill for this body on this model, priced. Refuses
     * (400) an input beyond what the model takes, where that is known.
     */
    HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body, OutputLimit output);

    /** The body the provider receives: the client's, with the output limit set to what is held. */
    ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family);

    /** The field a policy's {@code max_input_tokens} refusal names. */
    String inputField();

    /**
     * Whether the policy's cheaper fallback models may answer instead of the requested one: they are chat models, so
     * only chat falls back.
     */
    default boolean fallsBack() {
        return false;
    }

    /** The format of the route's answers, errors and stream events: the API it serves. */
    default WireFormat format() {
        return WireFormat.OPENAI;
    }
}

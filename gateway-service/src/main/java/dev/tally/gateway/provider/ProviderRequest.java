package dev.tally.gateway.provider;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request on its way to a provider, in OpenAI's format, with {@code model} and the output limit already set to what
 * the gateway reserved for.
 *
 * @param apiKey the organisation's BYOK key or the platform key; null for providers that need none
 * @param api    which of OpenAI's APIs the body is for
 */
public record ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate,
        UpstreamApi api) {

    /** A chat completions request. */
    public ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate) {
        this(body, model, maxTokens, apiKey, promptTokensEstimate, UpstreamApi.CHAT_COMPLETIONS);
    }

    public ProviderRequest withApiKey(String key) {
        return new ProviderRequest(body, model, maxTokens, key, promptTokensEstimate, api);
    }
}

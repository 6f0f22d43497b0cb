package dev.tally.gateway.provider;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request on its way to a provider, in the format of its API (OpenAI's, or Anthropic's Messages as the client sent
 * it), with {@code model} and the output limit already set to what the gateway reserved for.
 *
 * @param apiKey  the organisation's BYOK key or the platform key; null for providers that need none
 * @param api     which API the body is for
 * @param headers request headers the client sent for the provider itself ({@code anthropic-version},
 *                {@code anthropic-beta}), passed on as they are
 */
public record ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate,
        UpstreamApi api, java.util.Map<String, String> headers) {

    /** A chat completions request. */
    public ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate) {
        this(body, model, maxTokens, apiKey, promptTokensEstimate, UpstreamApi.CHAT_COMPLETIONS);
    }

    public ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate,
            UpstreamApi api) {
        this(body, model, maxTokens, apiKey, promptTokensEstimate, api, java.util.Map.of());
    }

    public ProviderRequest withApiKey(String key) {
        return new ProviderRequest(body, model, maxTokens, key, promptTokensEstimate, api, headers);
    }
}

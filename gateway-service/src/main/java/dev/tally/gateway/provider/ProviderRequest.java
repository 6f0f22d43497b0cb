package dev.tally.gateway.provider;

import tools.jackson.databind.node.ObjectNode;

/**
 * A chat request on its way to a provider, in OpenAI's format, with {@code model} and {@code max_tokens} already set
 * to what the gateway reserved for.
 *
 * @param apiKey the organisation's BYOK key or the platform key; null for providers that need none
 */
public record ProviderRequest(ObjectNode body, String model, int maxTokens, String apiKey, int promptTokensEstimate) {
}

package dev.tally.gateway.provider;

import tools.jackson.databind.node.ObjectNode;

/** A complete answer in OpenAI's chat.completion format, with the provider's own token counts. */
public record ProviderResponse(ObjectNode body, long promptTokens, long completionTokens) {
}

package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import tools.jackson.databind.node.ObjectNode;

/** A complete answer in OpenAI's chat.completion format, with what the provider billed for it. */
public record ProviderResponse(ObjectNode body, BilledUsage usage) {
}

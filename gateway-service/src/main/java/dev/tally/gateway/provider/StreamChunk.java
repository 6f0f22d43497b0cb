package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import tools.jackson.databind.node.ObjectNode;

/**
 * One chunk of a streamed answer in OpenAI's chat.completion.chunk format.
 *
 * @param text  what this chunk adds (content and tool-call arguments), to count what was generated when no usage
 *              comes
 * @param usage what the provider billed, on the chunk that carries its usage; else null
 */
public record StreamChunk(ObjectNode chunk, String text, BilledUsage usage) {

    public boolean hasUsage() {
        return usage != null;
    }
}

package dev.tally.gateway.provider;

import tools.jackson.databind.node.ObjectNode;

/**
 * One chunk of a streamed answer in OpenAI's chat.completion.chunk format.
 *
 * @param text             the content this chunk adds, to count what was generated if the stream breaks off
 * @param promptTokens     the provider's count when this chunk carries usage, else -1
 * @param completionTokens likewise
 */
public record StreamChunk(ObjectNode chunk, String text, long promptTokens, long completionTokens) {

    public boolean hasUsage() {
        return promptTokens >= 0 && completionTokens >= 0;
    }
}

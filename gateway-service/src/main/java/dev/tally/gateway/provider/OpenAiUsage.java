package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's usage block and, for answers without one, the generated text the gateway can count itself: a chat
 * message's content, a legacy completion's {@code text}; an embedding generates nothing.
 */
final class OpenAiUsage {

    private OpenAiUsage() {
    }

    /**
     * The usage an answer or chunk reports, or null when it reports none (no usage object, or one without
     * completion_tokens). A missing prompt_tokens falls back to the gateway's estimate.
     * Embeddings report {@code prompt_tokens} (and {@code total_tokens}) only: they bill input alone.
     */
    static BilledUsage read(UpstreamApi api, JsonNode usage, long promptTokensEstimate) {
        if (api == UpstreamApi.EMBEDDINGS) {
            return usage.path("prompt_tokens").isNumber()
                    ? BilledUsage.of(Math.max(0, usage.path("prompt_tokens").asLong()), 0) : null;
        }
        if (!usage.isObject() || !usage.path("completion_tokens").isNumber()) {
            return null;
        }
        return BilledUsage.openAi(usage.path("prompt_tokens").asLong(promptTokensEstimate),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("completion_tokens").asLong(),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /** Everything the model generated in an answer of this API, over every choice. */
    static String generatedText(UpstreamApi api, JsonNode answer) {
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : answer.path("choices")) {
            if (api == UpstreamApi.COMPLETIONS) {
                text.append(choice.path("text").asString(""));
            } else {
                appendGenerated(choice.path("message"), text);
            }
        }
        return text.toString();
    }

    /** Everything one streamed chunk of this API adds, over every choice: a legacy chunk is a text_completion. */
    static String deltaText(UpstreamApi api, JsonNode chunk) {
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : chunk.path("choices")) {
            if (api == UpstreamApi.COMPLETIONS) {
                text.append(choice.path("text").asString(""));
            } else {
                appendGenerated(choice.path("delta"), text);
            }
        }
        return text.toString();
    }

    /** Content, refusals, reasoning that servers such as vLLM return apart, and tool calls' names and arguments. */
    private static void appendGenerated(JsonNode message, StringBuilder text) {
        text.append(message.path("content").asString(""));
        text.append(message.path("refusal").asString(""));
        text.append(message.path("reasoning_content").asString(""));
        for (JsonNode call : message.path("tool_calls")) {
            text.append(call.path("function").path("name").asString(""));
            text.append(call.path("function").path("arguments").asString(""));
        }
        text.append(message.path("function_call").path("name").asString(""));
        text.append(message.path("function_call").path("arguments").asString(""));
    }
}

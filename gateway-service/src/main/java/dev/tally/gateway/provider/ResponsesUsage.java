package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import tools.jackson.databind.JsonNode;

import java.util.Set;

/**
 * The Responses API's usage ({@code input_tokens} with {@code input_tokens_details.cached_tokens} among them,
 * {@code output_tokens} with {@code output_tokens_details.reasoning_tokens} among them) and, for answers without
 * one, the generated text the gateway can count itself.
 */
final class ResponsesUsage {

    /**
     * The events that end a Responses stream, each with the whole response and its usage; {@code response.created}
     * and {@code response.in_progress} carry the response too, with a null usage.
     */
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete",
            "response.failed");

    private ResponsesUsage() {
    }

    /** The usage an answer reports, or null when it reports none (or one without output_tokens). */
    static BilledUsage read(JsonNode usage, long inputTokensEstimate) {
        if (!usage.isObject() || !usage.path("output_tokens").isNumber()) {
            return null;
        }
        return BilledUsage.openAi(usage.path("input_tokens").asLong(inputTokensEstimate),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                usage.path("output_tokens").asLong(),
                usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /** The usage of a stream's terminal event; null for every other event. */
    static BilledUsage ofEvent(JsonNode event, long inputTokensEstimate) {
        if (!TERMINAL.contains(event.path("type").asString(""))) {
            return null;
        }
        return read(event.path("response").path("usage"), inputTokensEstimate);
    }

    /**
     * What one event adds: every {@code *.delta} event (output text, refusals, reasoning text and summaries, function
     * call and custom tool arguments) carries it as a string {@code delta}.
     */
    static String deltaText(JsonNode event) {
        JsonNode delta = event.path("delta");
        return delta.isString() ? delta.asString() : "";
    }

    /**
     * Everything a response's output items hold that the model generated: message text and refusals, reasoning
     * summaries and text, tool calls' names and arguments; other items (built-in tool calls) as their JSON.
     */
    static String generatedText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asString("")) {
                case "message", "reasoning" -> {
                    for (JsonNode part : item.path("content")) {
                        text.append(part.path("text").asString("")).append(part.path("refusal").asString(""));
                    }
                    for (JsonNode part : item.path("summary")) {
                        text.append(part.path("text").asString(""));
                    }
                }
                case "function_call", "custom_tool_call" -> text.append(item.path("name").asString(""))
                        .append(item.path("arguments").asString("")).append(item.path("input").asString(""));
                default -> text.append(item);
            }
        }
        return text.toString();
    }
}

package dev.tally.gateway.translate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Anthropic message as an OpenAI chat completion: text blocks become the content, {@code tool_use} blocks
 * {@code tool_calls} (the input object as a JSON string of arguments), and the response format's tool
 * ({@link ChatToMessages#responseFormatTool}) the content again, as JSON text. Thinking is not part of a chat answer.
 * The usage is the caller's to add.
 */
public final class ChatFromMessages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatFromMessages() {
    }

    /** @param formatTool the response format's tool, or null */
    public static ObjectNode answer(JsonNode message, String formatTool, long created) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "tool_use" -> {
                    if (block.path("name").asString("").equals(formatTool)) {
                        text.append(block.path("input").toString());
                    } else {
                        ObjectNode call = calls.addObject().put("id", block.path("id").asString(""))
                                .put("type", "function");
                        call.putObject("function").put("name", block.path("name").asString(""))
                                .put("arguments", block.path("input").toString());
                    }
                }
                default -> {
                }
            }
        }
        ObjectNode body = NODES.objectNode();
        body.put("id", message.path("id").asString("chatcmpl-anthropic"));
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", message.path("model").asString(""));
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode answer = choice.putObject("message").put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            answer.putNull("content");
        } else {
            answer.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            answer.set("tool_calls", calls);
        }
        answer.putNull("refusal");
        choice.put("finish_reason", finishReason(message.path("stop_reason").asString("end_turn"), !calls.isEmpty()));
        return body;
    }

    /**
     * OpenAI's finish_reason for Anthropic's stop_reason: a tool_use stop that called only the response format's
     * tool is an answer that stopped.
     */
    public static String finishReason(String stopReason, boolean calledTools) {
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> calledTools ? "tool_calls" : "stop";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }
}

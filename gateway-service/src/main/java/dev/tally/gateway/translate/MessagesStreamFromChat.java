package dev.tally.gateway.translate;

import dev.tally.gateway.pricing.BilledUsage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One OpenAI chat stream as Anthropic's Messages stream events: message_start before the first content, then per
 * content block content_block_start, its deltas (text_delta, or input_json_delta for a tool call's arguments) and
 * content_block_stop, and at the end ({@link #end}) message_delta with the stop_reason and the usage, then
 * message_stop. One instance per stream.
 */
public final class MessagesStreamFromChat {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String model;
    private boolean started;
    private boolean ended;
    private String id = "msg_chat";
    /** The open block's index and whether it is text; -1 when none is open. */
    private int open = -1;
    private boolean openIsText;
    private int blocks;
    /** The chat stream's tool call index to the block that holds it. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private String finishReason;

    public MessagesStreamFromChat(String model) {
        this.model = model;
    }

    /** The events one chat chunk becomes: its content and tool calls (its usage is the caller's, for {@link #end}). */
    public List<ObjectNode> events(JsonNode chunk) {
        List<ObjectNode> events = new ArrayList<>();
        if (!started) {
            start(events, chunk.path("id").asString(""));
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").asString("") + delta.path("refusal").asString("");
            if (!text.isEmpty()) {
                if (open < 0 || !openIsText) {
                    openBlock(events, NODES.objectNode().put("type", "text").put("text", ""), true);
                }
                ObjectNode event = event("content_block_delta").put("index", open);
                event.putObject("delta").put("type", "text_delta").put("text", text);
                events.add(event);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                int callIndex = call.path("index").asInt(0);
                Integer block = toolBlocks.get(callIndex);
                if (block == null) {
                    ObjectNode use = NODES.objectNode().put("type", "tool_use")
                            .put("id", call.path("id").asString("call_" + callIndex))
                            .put("name", call.path("function").path("name").asString(""));
                    use.putObject("input");
                    openBlock(events, use, false);
                    block = open;
                    toolBlocks.put(callIndex, block);
                }
                String arguments = call.path("function").path("arguments").asString("");
                if (!arguments.isEmpty()) {
                    ObjectNode event = event("content_block_delta").put("index", block);
                    event.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments);
                    events.add(event);
                }
            }
            if (choice.path("finish_reason").isString()) {
                finishReason = choice.path("finish_reason").asString();
            }
        }
        return events;
    }

    /** Whether the chat stream said why it finished: a stream that ends without it broke off. */
    public boolean finished() {
        return finishReason != null;
    }

    public boolean ended() {
        return ended;
    }

    /** The last events: the open block's stop, message_delta with the stop_reason and usage, message_stop. */
    public List<ObjectNode> end(BilledUsage usage) {
        List<ObjectNode> events = new ArrayList<>();
        if (!started) {
            start(events, "");
        }
        closeBlock(events);
        ObjectNode delta = event("message_delta");
        delta.putObject("delta").put("stop_reason", MessagesToChat.stopReason(finishReason == null ? "stop"
                : finishReason)).putNull("stop_sequence");
        delta.set("usage", MessagesToChat.usage(usage));
        events.add(delta);
        events.add(event("message_stop"));
        ended = true;
        return events;
    }

    private void start(List<ObjectNode> events, String chatId) {
        started = true;
        if (!chatId.isEmpty()) {
            id = MessagesToChat.messageId(chatId);
        }
        ObjectNode message = NODES.objectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        // The chat stream reports its usage at its end: message_delta carries it, input side included.
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        events.add(event("message_start").set("message", message));
    }

    private void openBlock(List<ObjectNode> events, ObjectNode block, boolean text) {
        closeBlock(events);
        open = blocks++;
        openIsText = text;
        events.add(event("content_block_start").put("index", open).set("content_block", block));
    }

    private void closeBlock(List<ObjectNode> events) {
        if (open >= 0) {
            events.add(event("content_block_stop").put("index", open));
            open = -1;
        }
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }
}

package dev.tally.gateway.translate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Anthropic Messages stream as OpenAI chat.completion.chunk objects, event by event: message_start gives the
 * role chunk, a text delta a content chunk, a tool_use block's start a chunk with the tool call's id and name, its
 * input_json_delta argument chunks (each tool call numbered by {@code index} in the order they started), and
 * message_delta the finish_reason. The response format's tool streams as content. Usage is the caller's to add; one
 * instance per stream.
 */
public final class ChatStreamFromMessages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String model;
    private final String formatTool;
    private final long created;
    private String id = "chatcmpl-anthropic";
    /** Anthropic's block index to the tool call's index among tool calls; the format tool's block maps to -1. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();

    public ChatStreamFromMessages(String model, String formatTool, long created) {
        this.model = model;
        this.formatTool = formatTool;
        this.created = created;
    }

    /** The chunks one event becomes (none for pings, block stops and message_stop). */
    public List<ObjectNode> chunks(JsonNode event) {
        List<ObjectNode> chunks = new ArrayList<>();
        switch (event.path("type").asString("")) {
            case "message_start" -> {
                id = event.path("message").path("id").asString(id);
                chunks.add(chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null));
            }
            case "content_block_start" -> {
                JsonNode block = event.path("content_block");
                int index = event.path("index").asInt();
                if ("tool_use".equals(block.path("type").asString(""))) {
                    if (block.path("name").asString("").equals(formatTool)) {
                        toolCalls.put(index, -1);
                    } else {
                        int call = (int) toolCalls.values().stream().filter(i -> i >= 0).count();
                        toolCalls.put(index, call);
                        ObjectNode delta = NODES.objectNode();
                        ObjectNode toolCall = delta.putArray("tool_calls").addObject().put("index", call)
                                .put("id", block.path("id").asString("")).put("type", "function");
                        toolCall.putObject("function").put("name", block.path("name").asString(""))
                                .put("arguments", "");
                        chunks.add(chunk(delta, null));
                    }
                } else if ("text".equals(block.path("type").asString("")) && !block.path("text").asString("")
                        .isEmpty()) {
                    chunks.add(chunk(NODES.objectNode().put("content", block.path("text").asString()), null));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = event.path("delta");
                switch (delta.path("type").asString("")) {
                    case "text_delta" ->
                            chunks.add(chunk(NODES.objectNode().put("content", delta.path("text").asString("")), null));
                    case "input_json_delta" -> {
                        Integer call = toolCalls.get(event.path("index").asInt());
                        String partial = delta.path("partial_json").asString("");
                        if (call == null || partial.isEmpty()) {
                            break;
                        }
                        if (call < 0) {
                            chunks.add(chunk(NODES.objectNode().put("content", partial), null));
                        } else {
                            ObjectNode arguments = NODES.objectNode();
                            arguments.putArray("tool_calls").addObject().put("index", call).putObject("function")
                                    .put("arguments", partial);
                            chunks.add(chunk(arguments, null));
                        }
                    }
                    default -> {
                    }
                }
            }
            case "message_delta" -> {
                boolean calledTools = toolCalls.values().stream().anyMatch(i -> i >= 0);
                chunks.add(chunk(NODES.objectNode(), ChatFromMessages.finishReason(
                        event.path("delta").path("stop_reason").asString("end_turn"), calledTools)));
            }
            default -> {
            }
        }
        return chunks;
    }

    /** An empty chunk of this stream (no choices), for the caller's usage chunk. */
    public ObjectNode usageChunk() {
        ObjectNode chunk = header();
        chunk.putArray("choices");
        return chunk;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private ObjectNode header() {
        ObjectNode chunk = NODES.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }
}

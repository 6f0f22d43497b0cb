package dev.tally.gateway.translate;

import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.ModelFamily;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Anthropic Messages request as an OpenAI chat completions request, for a model of an OpenAI-compatible provider
 * asked through {@code /v1/messages} (Claude Code pointed at the gateway, say): {@code system} becomes a system
 * message, {@code tool_use} blocks tool calls, {@code tool_result} blocks tool messages, images image parts, tools
 * function tools; {@code cache_control} marks are dropped (OpenAI caches prompts by itself), and so is the thinking of
 * earlier turns, which a chat model cannot take back. What has no chat equivalent (Anthropic's server tools,
 * {@code top_k}, extended thinking) is refused with a 400 naming the field. {@link #answer} turns the chat answer
 * back into a message.
 */
public final class MessagesToChat {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessagesToChat() {
    }

    /**
     * @param model     the model the gateway held for
     * @param maxTokens the output limit the gateway held for, sent as the field the model's family reads
     */
    public static ObjectNode request(JsonNode messages, String model, int maxTokens) {
        refuseUntranslatable(messages);
        ObjectNode chat = NODES.objectNode();
        chat.put("model", model);
        ModelFamily family = ModelFamily.of(model, "openai");
        if (family.reasoning()) {
            chat.put("max_completion_tokens", maxTokens);
        }
        if (!family.reasoning() || !family.openAi()) {
            chat.put("max_tokens", maxTokens);
        }
        ArrayNode out = chat.putArray("messages");
        JsonNode system = messages.path("system");
        if (system.isString() && !system.asString().isEmpty()) {
            out.addObject().put("role", "system").put("content", system.asString());
        } else if (system.isArray() && !system.isEmpty()) {
            out.addObject().put("role", "system").put("content", text(system, "system"));
        }
        JsonNode turns = messages.path("messages");
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            String field = "messages[" + i + "]";
            if ("assistant".equals(turn.path("role").asString())) {
                out.add(assistant(turn.path("content"), field));
            } else {
                user(out, turn.path("content"), field);
            }
        }
        copy(messages, chat, "temperature", "temperature");
        copy(messages, chat, "top_p", "top_p");
        JsonNode stops = messages.path("stop_sequences");
        if (stops.isArray() && !stops.isEmpty()) {
            chat.set("stop", stops);
        }
        JsonNode user = messages.path("metadata").path("user_id");
        if (user.isString()) {
            chat.put("user", user.asString());
        }
        tools(messages, chat);
        return chat;
    }

    private static void refuseUntranslatable(JsonNode messages) {
        if (messages.hasNonNull("top_k")) {
            throw refused("top_k", "OpenAI's chat completions have no top_k.");
        }
        JsonNode thinking = messages.path("thinking");
        if (thinking.isObject() && !"disabled".equals(thinking.path("type").asString(""))) {
            throw refused("thinking", "extended thinking cannot be asked of a model behind an OpenAI-compatible "
                    + "provider; send the request without 'thinking'.");
        }
        for (String field : new String[] {"mcp_servers", "container", "context_management"}) {
            if (messages.hasNonNull(field)) {
                throw refused(field, "'" + field + "' has no equivalent in OpenAI's chat completions.");
            }
        }
    }

    private static void tools(JsonNode messages, ObjectNode chat) {
        JsonNode tools = messages.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return;
        }
        ArrayNode functions = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asString("custom");
            if (!"custom".equals(type)) {
                throw refused("tools[" + i + "].type", "Anthropic's server tool '" + type + "' runs at Anthropic; "
                        + "a model behind an OpenAI-compatible provider can only be given custom tools.");
            }
            ObjectNode function = functions.addObject().put("type", "function").putObject("function")
                    .put("name", tool.path("name").asString(""));
            if (tool.path("description").isString()) {
                function.put("description", tool.path("description").asString());
            }
            function.set("parameters", tool.path("input_schema").isObject() ? tool.get("input_schema")
                    : NODES.objectNode().put("type", "object"));
        }
        JsonNode choice = messages.path("tool_choice");
        switch (choice.path("type").asString("")) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", choice.path("name").asString(""));
            case "" -> {
            }
            default -> throw GatewayException.badRequest("invalid_value", "tool_choice.type: must be auto, any, "
                    + "tool or none.", "tool_choice.type");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            chat.put("parallel_tool_calls", false);
        }
    }

    /**
     * A user turn: its tool results as tool messages first (they must follow the assistant's tool calls), then the
     * rest as one user message, with the images of tool results, which a tool message cannot hold.
     */
    private static void user(ArrayNode out, JsonNode content, String field) {
        if (content.isString()) {
            out.addObject().put("role", "user").put("content", content.asString());
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String blockField = field + ".content[" + j + "]";
            if ("tool_result".equals(block.path("type").asString())) {
                ObjectNode tool = out.addObject().put("role", "tool")
                        .put("tool_call_id", block.path("tool_use_id").asString(""));
                StringBuilder text = new StringBuilder(block.path("is_error").asBoolean(false) ? "Error: " : "");
                JsonNode result = block.path("content");
                if (result.isString()) {
                    text.append(result.asString());
                }
                for (int k = 0; k < result.size(); k++) {
                    JsonNode inner = result.get(k);
                    if ("text".equals(inner.path("type").asString())) {
                        text.append(inner.path("text").asString(""));
                    } else {
                        parts.add(part(inner, blockField + ".content[" + k + "]"));
                    }
                }
                tool.put("content", text.toString());
            } else {
                parts.add(part(block, blockField));
            }
        }
        if (!parts.isEmpty()) {
            out.addObject().put("role", "user").set("content", parts);
        }
    }

    private static ObjectNode part(JsonNode block, String field) {
        ObjectNode part = NODES.objectNode();
        switch (block.path("type").asString("")) {
            case "text" -> part.put("type", "text").put("text", block.path("text").asString(""));
            case "image" -> {
                JsonNode source = block.path("source");
                String url = switch (source.path("type").asString("")) {
                    case "base64" -> "data:" + source.path("media_type").asString("image/png") + ";base64,"
                            + source.path("data").asString("");
                    case "url" -> source.path("url").asString("");
                    default -> throw refused(field + ".source", "only base64 and url images can be passed to an "
                            + "OpenAI-compatible provider.");
                };
                part.put("type", "image_url").putObject("image_url").put("url", url);
            }
            case "document" -> {
                JsonNode source = block.path("source");
                switch (source.path("type").asString("")) {
                    case "text" -> part.put("type", "text").put("text", source.path("data").asString(""));
                    case "base64" -> part.put("type", "file").putObject("file")
                            .put("filename", block.path("title").asString("document.pdf"))
                            .put("file_data", "data:" + source.path("media_type").asString("application/pdf")
                                    + ";base64," + source.path("data").asString(""));
                    default -> throw refused(field + ".source", "only base64 and plain-text documents can be "
                            + "passed to an OpenAI-compatible provider.");
                }
            }
            default -> throw refused(field + ".type", "content block '" + block.path("type").asString("")
                    + "' has no equivalent in OpenAI's chat completions.");
        }
        return part;
    }

    private static ObjectNode assistant(JsonNode content, String field) {
        ObjectNode message = NODES.objectNode().put("role", "assistant");
        if (content.isString()) {
            return message.put("content", content.asString());
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "tool_use" -> calls.addObject().put("id", block.path("id").asString(""))
                        .put("type", "function").putObject("function").put("name", block.path("name").asString(""))
                        .put("arguments", block.path("input").isObject() ? block.path("input").toString() : "{}");
                // The model's own reasoning in an earlier turn: a chat model takes none back.
                case "thinking", "redacted_thinking" -> {
                }
                default -> throw refused(field + ".content[" + j + "].type", "content block '"
                        + block.path("type").asString("") + "' has no equivalent in OpenAI's chat completions.");
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return message;
    }

    /**
     * A chat completion as a message: content as a text block, tool calls as tool_use blocks, finish_reason as
     * stop_reason, and the usage the gateway charges in Anthropic's shape.
     */
    public static ObjectNode answer(JsonNode chat, String model, BilledUsage usage) {
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode answer = NODES.objectNode();
        answer.put("id", messageId(chat.path("id").asString("")));
        answer.put("type", "message");
        answer.put("role", "assistant");
        answer.put("model", model);
        ArrayNode content = answer.putArray("content");
        String text = message.path("content").asString("") + message.path("refusal").asString("");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            content.addObject().put("type", "tool_use").put("id", call.path("id").asString(""))
                    .put("name", call.path("function").path("name").asString(""))
                    .set("input", input(call.path("function").path("arguments").asString("")));
        }
        if (content.isEmpty()) {
            content.addObject().put("type", "text").put("text", "");
        }
        answer.put("stop_reason", stopReason(choice.path("finish_reason").asString("stop")));
        answer.putNull("stop_sequence");
        answer.set("usage", usage(usage));
        return answer;
    }

    /** Anthropic's stop_reason for OpenAI's finish_reason. */
    public static String stopReason(String finishReason) {
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** Anthropic's usage shape: input_tokens without the cache reads, which are counted apart. */
    public static ObjectNode usage(BilledUsage usage) {
        return NODES.objectNode().put("input_tokens", usage.inputTokens() + usage.cacheWriteTokens())
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", usage.cachedInputTokens())
                .put("output_tokens", usage.totalOutputTokens());
    }

    static String messageId(String chatId) {
        return chatId.startsWith("msg_") ? chatId : "msg_" + chatId.replace("chatcmpl-", "");
    }

    /** A tool call's arguments as the tool_use input; a server that generated no JSON object gave no answer. */
    static JsonNode input(String arguments) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode input = JSON.readTree(arguments);
            if (input.isObject()) {
                return input;
            }
        } catch (JacksonException e) {
            // refused below
        }
        // Not retried: the provider billed the answer; another call would be billed again.
        throw GatewayException.providerError("The provider's tool call arguments are not a JSON object, which "
                + "Anthropic's tool_use input must be.");
    }

    private static String text(JsonNode blocks, String field) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode block = blocks.get(j);
            if (!"text".equals(block.path("type").asString())) {
                throw refused(field + "[" + j + "]", "only text blocks can be passed as the system prompt.");
            }
            text.append(text.isEmpty() ? "" : "\n\n").append(block.path("text").asString(""));
        }
        return text.toString();
    }

    private static void copy(JsonNode from, ObjectNode to, String fromField, String toField) {
        if (from.hasNonNull(fromField)) {
            to.set(toField, from.get(fromField));
        }
    }

    private static GatewayException refused(String field, String reason) {
        return GatewayException.badRequest("unsupported_parameter", field + ": " + reason, field);
    }
}

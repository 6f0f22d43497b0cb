package dev.tally.gateway.translate;

import dev.tally.gateway.error.GatewayException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI chat completions request as an Anthropic Messages request, for a Claude model asked through
 * {@code /v1/chat/completions}: system and developer messages become {@code system}, tool calls {@code tool_use}
 * blocks, tool messages {@code tool_result} blocks in a user turn, images image blocks, function tools Anthropic's
 * tools, and {@code response_format} a forced tool whose input is the answer ({@link ChatFromMessages} turns it back
 * into content). What Anthropic has no equivalent for is refused with a 400 naming the field, never dropped.
 */
public final class ChatToMessages {

    /** The tool a {@code json_object} response format is asked through (a {@code json_schema} one is named by it). */
    public static final String JSON_OBJECT_TOOL = "json_object";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]+);base64,(.*)", Pattern.DOTALL);

    private ChatToMessages() {
    }

    /**
     * @param model     the model the gateway held for
     * @param maxTokens the output limit the gateway held for
     */
    public static ObjectNode request(JsonNode chat, String model, int maxTokens) {
        refuseUntranslatable(chat);
        ObjectNode body = NODES.objectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        JsonNode chatMessages = chat.path("messages");
        for (int i = 0; i < chatMessages.size(); i++) {
            JsonNode message = chatMessages.get(i);
            String field = "messages[" + i + "]";
            switch (message.path("role").asString("")) {
                case "system", "developer" ->
                        system.append(system.isEmpty() ? "" : "\n\n").append(text(message.path("content"), field));
                case "user" -> append(messages, "user", userContent(message.path("content"), field));
                case "assistant" -> append(messages, "assistant", assistantContent(message, field));
                case "tool" -> append(messages, "user", toolResult(message, field));
                default -> throw refused(field + ".role", "role '" + message.path("role").asString("")
                        + "' has no equivalent in Anthropic's Messages API (system, developer, user, assistant or "
                        + "tool).");
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        copy(chat, body, "temperature");
        copy(chat, body, "top_p");
        JsonNode stop = chat.path("stop");
        if (stop.isString()) {
            body.putArray("stop_sequences").add(stop.asString());
        } else if (stop.isArray() && !stop.isEmpty()) {
            body.set("stop_sequences", stop);
        }
        if (chat.path("user").isString()) {
            body.putObject("metadata").put("user_id", chat.path("user").asString());
        }
        tools(chat, body);
        return body;
    }

    /** The tool a request's {@code response_format} is answered through, or null when it has none. */
    public static String responseFormatTool(JsonNode chat) {
        JsonNode format = chat.path("response_format");
        return switch (format.path("type").asString("text")) {
            case "json_schema" -> format.path("json_schema").path("name").asString("json_schema");
            case "json_object" -> JSON_OBJECT_TOOL;
            default -> null;
        };
    }

    /**
     * Fields whose meaning Anthropic's Messages API cannot carry: answering without them would give the client
     * something other than it asked for. Defaults (0, false, empty) are accepted, as SDKs send some unasked.
     */
    private static void refuseUntranslatable(JsonNode chat) {
        if (chat.path("n").asInt(1) > 1) {
            throw refused("n", "Anthropic models answer one choice per request; send n = 1.");
        }
        if (chat.path("logprobs").asBoolean(false) || chat.path("top_logprobs").asInt(0) > 0) {
            throw refused(chat.path("logprobs").asBoolean(false) ? "logprobs" : "top_logprobs",
                    "Anthropic models do not return log probabilities.");
        }
        for (String field : new String[] {"frequency_penalty", "presence_penalty"}) {
            if (chat.path(field).asDouble(0) != 0) {
                throw refused(field, "Anthropic's Messages API has no " + field + ".");
            }
        }
        if (chat.path("logit_bias").isObject() && !chat.path("logit_bias").isEmpty()) {
            throw refused("logit_bias", "Anthropic's Messages API has no logit_bias.");
        }
        if (chat.has("audio") && !chat.get("audio").isNull()) {
            throw refused("audio", "Anthropic models do not answer with audio.");
        }
        for (JsonNode modality : chat.path("modalities")) {
            if (!"text".equals(modality.asString(""))) {
                throw refused("modalities", "Anthropic models answer with text only.");
            }
        }
        for (String field : new String[] {"functions", "function_call", "prediction", "reasoning_effort",
                "web_search_options"}) {
            if (chat.has(field) && !chat.get(field).isNull()) {
                throw refused(field, "'" + field + "' has no equivalent in Anthropic's Messages API"
                        + ("functions".equals(field) || "function_call".equals(field) ? "; send 'tools'." : "."));
            }
        }
    }

    private static void tools(JsonNode chat, ObjectNode body) {
        JsonNode chatTools = chat.path("tools");
        ArrayNode tools = NODES.arrayNode();
        for (int i = 0; i < chatTools.size(); i++) {
            JsonNode tool = chatTools.get(i);
            if (!"function".equals(tool.path("type").asString("function"))) {
                throw refused("tools[" + i + "].type", "only function tools can be translated to Anthropic's tools.");
            }
            JsonNode function = tool.path("function");
            if (!function.path("name").isString()) {
                throw invalid("tools[" + i + "].function.name", "must be a string.");
            }
            tools.add(tool(function.path("name").asString(), function.path("description"),
                    function.path("parameters")));
        }
        ObjectNode choice = toolChoice(chat.path("tool_choice"));
        String formatTool = responseFormatTool(chat);
        if (formatTool != null) {
            if (choice != null && ("any".equals(choice.path("type").asString())
                    || "tool".equals(choice.path("type").asString()))) {
                throw refused("response_format", "a response_format cannot be honoured for a Claude model while "
                        + "tool_choice forces a tool: Anthropic answers in a given format through a forced tool.");
            }
            tools.add(tool(formatTool, NODES.stringNode("Answer with this tool: its input is the answer."),
                    formatSchema(chat.path("response_format"))));
            // With tools of its own, the model calls one of them or answers through the format tool.
            choice = tools.size() > 1 && (choice == null || !"none".equals(choice.path("type").asString()))
                    ? NODES.objectNode().put("type", "any")
                    : NODES.objectNode().put("type", "tool").put("name", formatTool);
        }
        if (tools.isEmpty()) {
            return;
        }
        body.set("tools", tools);
        if (chat.path("parallel_tool_calls").isBoolean() && !chat.path("parallel_tool_calls").asBoolean()) {
            if (choice == null) {
                choice = NODES.objectNode().put("type", "auto");
            }
            if (!"none".equals(choice.path("type").asString())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            body.set("tool_choice", choice);
        }
    }

    private static ObjectNode tool(String name, JsonNode description, JsonNode parameters) {
        ObjectNode tool = NODES.objectNode().put("name", name);
        if (description.isString()) {
            tool.put("description", description.asString());
        }
        tool.set("input_schema", parameters.isObject() ? parameters
                : NODES.objectNode().put("type", "object").set("properties", NODES.objectNode()));
        return tool;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice.isMissingNode() || choice.isNull()) {
            return null;
        }
        if (choice.isString()) {
            return switch (choice.asString()) {
                case "auto" -> NODES.objectNode().put("type", "auto");
                case "none" -> NODES.objectNode().put("type", "none");
                case "required" -> NODES.objectNode().put("type", "any");
                default -> throw invalid("tool_choice", "must be 'auto', 'none', 'required' or a named function.");
            };
        }
        if (choice.path("function").path("name").isString()) {
            return NODES.objectNode().put("type", "tool").put("name", choice.path("function").path("name").asString());
        }
        throw invalid("tool_choice", "must be 'auto', 'none', 'required' or {\"type\": \"function\", \"function\": "
                + "{\"name\": …}}.");
    }

    /** A JSON schema whose top is an object, as Anthropic's input_schema must be; json_object: any object. */
    private static JsonNode formatSchema(JsonNode format) {
        if (!"json_schema".equals(format.path("type").asString())) {
            return NODES.objectNode().put("type", "object");
        }
        JsonNode schema = format.path("json_schema").path("schema");
        if (!schema.isObject() || !"object".equals(schema.path("type").asString(""))) {
            throw refused("response_format", "a Claude model answers in a JSON schema through a tool's input, "
                    + "which must be an object: response_format.json_schema.schema needs \"type\": \"object\".");
        }
        return schema;
    }

    private static void append(ArrayNode messages, String role, ArrayNode content) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        // Anthropic takes alternating turns: consecutive tool results (and a user message after them) form one.
        if (last != null && role.equals(last.path("role").asString())) {
            ((ArrayNode) last.path("content")).addAll(content);
            return;
        }
        messages.addObject().put("role", role).set("content", content);
    }

    private static ArrayNode userContent(JsonNode content, String field) {
        ArrayNode blocks = NODES.arrayNode();
        if (content.isString()) {
            blocks.addObject().put("type", "text").put("text", content.asString());
            return blocks;
        }
        if (!content.isArray()) {
            throw invalid(field + ".content", "must be a string or an array of content parts.");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partField = field + ".content[" + j + "]";
            switch (part.path("type").asString("")) {
                case "text" -> blocks.addObject().put("type", "text").put("text", part.path("text").asString(""));
                case "image_url" -> blocks.add(image(part.path("image_url"), partField));
                case "file" -> blocks.add(document(part.path("file"), partField));
                case "input_audio" -> throw refused(partField, "Anthropic models do not take audio input.");
                default -> throw refused(partField + ".type", "content part '" + part.path("type").asString("")
                        + "' has no equivalent in Anthropic's Messages API.");
            }
        }
        return blocks;
    }

    private static ObjectNode image(JsonNode image, String field) {
        String url = image.isString() ? image.asString() : image.path("url").asString("");
        ObjectNode block = NODES.objectNode().put("type", "image");
        Matcher data = DATA_URL.matcher(url);
        if (data.matches()) {
            block.putObject("source").put("type", "base64").put("media_type", data.group(1))
                    .put("data", data.group(2));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            block.putObject("source").put("type", "url").put("url", url);
        } else {
            throw invalid(field + ".image_url.url", "must be an http(s) URL or a base64 data URL.");
        }
        return block;
    }

    /** A PDF sent inline ({@code file_data}); an uploaded file's id is OpenAI's and means nothing to Anthropic. */
    private static ObjectNode document(JsonNode file, String field) {
        Matcher data = DATA_URL.matcher(file.path("file_data").asString(""));
        if (!data.matches()) {
            throw refused(field + ".file", "only a file sent inline as a base64 data URL (file_data) can be passed "
                    + "to Anthropic; an OpenAI file_id cannot.");
        }
        ObjectNode block = NODES.objectNode().put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", data.group(1)).put("data", data.group(2));
        return block;
    }

    private static ArrayNode assistantContent(JsonNode message, String field) {
        ArrayNode blocks = NODES.arrayNode();
        String text = text(message.path("content"), field);
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        JsonNode calls = message.path("tool_calls");
        for (int k = 0; k < calls.size(); k++) {
            JsonNode call = calls.get(k);
            String callField = field + ".tool_calls[" + k + "]";
            ObjectNode use = blocks.addObject().put("type", "tool_use")
                    .put("id", call.path("id").asString(""))
                    .put("name", call.path("function").path("name").asString(""));
            use.set("input", arguments(call.path("function").path("arguments"), callField + ".function.arguments"));
        }
        if (blocks.isEmpty()) {
            // Anthropic refuses an empty turn; an assistant message with nothing in it says nothing.
            blocks.addObject().put("type", "text").put("text", "(empty)");
        }
        return blocks;
    }

    /** A tool call's arguments, a JSON text holding an object, as the tool_use block's input object. */
    private static JsonNode arguments(JsonNode arguments, String field) {
        if (arguments.isObject()) {
            return arguments;
        }
        String text = arguments.asString("");
        if (text.isBlank()) {
            return NODES.objectNode();
        }
        JsonNode input;
        try {
            input = JSON.readTree(text);
        } catch (JacksonException e) {
            throw invalid(field, "must be a JSON object in a string; it is not valid JSON.");
        }
        if (!input.isObject()) {
            throw invalid(field, "must be a JSON object in a string.");
        }
        return input;
    }

    private static ArrayNode toolResult(JsonNode message, String field) {
        if (!message.path("tool_call_id").isString()) {
            throw invalid(field + ".tool_call_id", "a tool message needs the id of the tool call it answers.");
        }
        ObjectNode result = NODES.objectNode().put("type", "tool_result")
                .put("tool_use_id", message.path("tool_call_id").asString());
        result.put("content", text(message.path("content"), field));
        ArrayNode blocks = NODES.arrayNode();
        blocks.add(result);
        return blocks;
    }

    /** A message's text: its content string, or its text (and refusal) parts joined. */
    private static String text(JsonNode content, String field) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asString("");
            if (!"text".equals(type) && !"refusal".equals(type)) {
                throw refused(field + ".content[" + j + "]", "only text can be passed in this message to "
                        + "Anthropic.");
            }
            text.append(part.path("text").asString("")).append(part.path("refusal").asString(""));
        }
        return text.toString();
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.set(field, from.get(field));
        }
    }

    private static GatewayException refused(String field, String reason) {
        return GatewayException.badRequest("unsupported_parameter", field + ": " + reason, field);
    }

    private static GatewayException invalid(String field, String reason) {
        return GatewayException.badRequest("invalid_value", field + ": " + reason, field);
    }
}

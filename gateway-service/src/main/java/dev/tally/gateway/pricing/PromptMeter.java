package dev.tally.gateway.pricing;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The most input tokens a provider can bill for a chat completions body: every text the provider renders into the
 * prompt (messages, names, tool calls and results, tool and function definitions, a JSON schema), images by the
 * family's formula, audio by its length, and anything unrecognised by its JSON text. Each margin is in
 * docs/gateway.md, "What is held".
 */
@Component
public class PromptMeter {

    /** OpenAI's chat framing: per message, per name, and the tokens that prime the reply. */
    static final int PER_MESSAGE = 3;
    static final int PER_NAME = 1;
    static final int REPLY = 3;
    /**
     * OpenAI renders tool definitions as a TypeScript namespace in a system message ("# Tools", "namespace functions
     * {", "type name = (_: {…}) => any;"). Its text is the definitions' names, descriptions, property names, types and
     * enum values, all of which the JSON holds too, quoted, with braces and keys the rendering drops; what the JSON
     * lacks is the rendering's own words, bounded by a block and a per-tool overhead.
     */
    static final int TOOLS_BLOCK = 32;
    static final int PER_TOOL = 16;
    /**
     * A tool call is rendered as a message to the function with its arguments (its JSON plus framing), a tool result
     * as a message from the function with a header naming it (its call id plus framing).
     */
    static final int PER_TOOL_CALL = 8;
    static final int RESPONSE_FORMAT = 32;
    static final int PER_IMAGE = 8;
    /** A provider joins a message's parts with a separator (a newline, say): one token each. */
    static final int PER_PART = 1;

    private final Tokenizer tokenizer;

    public PromptMeter(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public int inputTokens(ModelFamily family, JsonNode body) {
        TokenCount count = new TokenCount(tokenizer, family);
        count.text += REPLY;
        for (JsonNode message : body.path("messages")) {
            message(count, message);
        }
        definitions(count, body.path("tools"));
        definitions(count, body.path("functions"));
        JsonNode format = body.path("response_format");
        if (format.isObject() && !"text".equals(format.path("type").asString(""))) {
            count.text += RESPONSE_FORMAT + count.json(format);
        }
        JsonNode choice = body.path("tool_choice");
        count.text += choice.isString() ? count.tokens(choice.asString()) : choice.isObject() ? count.json(choice) : 0;
        JsonNode functionCall = body.path("function_call");
        count.text += functionCall.isObject() ? count.json(functionCall) : 0;
        long total = (long) Math.ceil(count.text * family.textFactor()) + count.media;
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * Predicted Outputs: rejected prediction tokens are billed as completion tokens, beyond what the answer itself
     * holds, so the prediction's text is added to the output bound.
     */
    public long predictionTokens(ModelFamily family, JsonNode body) {
        JsonNode content = body.path("prediction").path("content");
        TokenCount count = new TokenCount(tokenizer, family);
        if (content.isString()) {
            count.text += count.tokens(content.asString());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                count.text += count.tokens(part.path("text").asString(""));
            }
        } else if (!content.isMissingNode() && !content.isNull()) {
            count.text += count.json(content);
        }
        return (long) Math.ceil(count.text * family.textFactor());
    }

    private void message(TokenCount count, JsonNode message) {
        count.text += PER_MESSAGE + count.tokens(message.path("role").asString(""));
        if (message.hasNonNull("name")) {
            count.text += PER_NAME + count.tokens(message.path("name").asString(""));
        }
        JsonNode content = message.path("content");
        if (content.isString()) {
            count.text += count.tokens(content.asString());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                part(count, part);
            }
        } else if (content.isObject()) {
            count.text += count.json(content);
        }
        if (message.path("refusal").isString()) {
            count.text += count.tokens(message.path("refusal").asString());
        }
        for (JsonNode call : message.path("tool_calls")) {
            count.text += PER_TOOL_CALL + count.json(call);
        }
        if (message.path("function_call").isObject()) {
            count.text += PER_TOOL_CALL + count.json(message.path("function_call"));
        }
        if (message.hasNonNull("tool_call_id")) {
            count.text += PER_TOOL_CALL + count.tokens(message.path("tool_call_id").asString(""));
        }
        if (message.path("audio").isObject()) {
            count.text += count.json(message.path("audio"));
        }
    }

    private void part(TokenCount count, JsonNode part) {
        count.text += PER_PART;
        if (part.isString()) {
            count.text += count.tokens(part.asString());
            return;
        }
        switch (part.path("type").asString("")) {
            case "text" -> count.text += count.tokens(part.path("text").asString(""));
            case "refusal" -> count.text += count.tokens(part.path("refusal").asString(""));
            case "image_url" -> {
                JsonNode image = part.path("image_url");
                String url = image.isString() ? image.asString() : image.path("url").asString("");
                ImageSize size = ImageSize.ofDataUrl(url).orElse(null);
                count.media += PER_IMAGE + count.family.images().tokens(size, image.path("detail").asString("auto"));
            }
            case "input_audio" -> count.media += AudioTokens.bound(part.path("input_audio").path("data").asString(""));
            default -> count.text += Math.max(1, count.json(part));
        }
    }

    private void definitions(TokenCount count, JsonNode tools) {
        if (!tools.isArray() || tools.isEmpty()) {
            return;
        }
        count.text += TOOLS_BLOCK;
        for (JsonNode tool : tools) {
            count.text += PER_TOOL + count.json(tool);
        }
    }
}

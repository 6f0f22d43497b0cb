package dev.tally.gateway.pricing;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The most input tokens a provider can bill for a Responses API body, by chat's rules ({@link PromptMeter}): the
 * {@code instructions} as a system message, {@code input} (a string as one user message, or its items: messages with
 * text, image, file and audio parts, tool calls and their outputs, reasoning and anything else by its JSON), the tool
 * definitions, {@code tool_choice}, a structured-output format and a prompt template reference. What the provider keeps
 * of an earlier response ({@code previous_response_id}, {@code conversation}) is not in the body: the route adds its
 * bound. Each margin is in docs/gateway.md, section "OpenAI's Responses API", item "What is held for Responses".
 */
@Component
public class ResponsesMeter {

    private final Tokenizer tokenizer;

    public ResponsesMeter(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public int inputTokens(ModelFamily family, JsonNode body) {
        TokenCount count = new TokenCount(tokenizer, family);
        count.text += PromptMeter.REPLY;
        JsonNode instructions = body.path("instructions");
        if (instructions.isString()) {
            count.text += PromptMeter.PER_MESSAGE + count.tokens("system") + count.tokens(instructions.asString());
        }
        JsonNode input = body.path("input");
        if (input.isString()) {
            count.text += PromptMeter.PER_MESSAGE + count.tokens("user") + count.tokens(input.asString());
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                item(count, item);
            }
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            count.text += PromptMeter.TOOLS_BLOCK;
            for (JsonNode tool : tools) {
                count.text += PromptMeter.PER_TOOL + count.json(tool);
            }
        }
        JsonNode choice = body.path("tool_choice");
        count.text += choice.isString() ? count.tokens(choice.asString()) : choice.isObject() ? count.json(choice) : 0;
        JsonNode format = body.path("text").path("format");
        if (format.isObject() && !"text".equals(format.path("type").asString(""))) {
            count.text += PromptMeter.RESPONSE_FORMAT + count.json(format);
        }
        JsonNode prompt = body.path("prompt");
        if (prompt.isObject()) {
            count.text += count.json(prompt);
        }
        long total = (long) Math.ceil(count.text * family.textFactor()) + count.media;
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private void item(TokenCount count, JsonNode item) {
        if (!item.isObject()) {
            count.text += count.json(item);
            return;
        }
        String type = item.path("type").asString(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> {
                count.text += PromptMeter.PER_MESSAGE + count.tokens(item.path("role").asString(""));
                JsonNode content = item.path("content");
                if (content.isString()) {
                    count.text += count.tokens(content.asString());
                } else if (content.isArray()) {
                    for (JsonNode part : content) {
                        part(count, part);
                    }
                } else if (!content.isMissingNode() && !content.isNull()) {
                    count.text += count.json(content);
                }
            }
            case "function_call", "custom_tool_call" -> count.text += PromptMeter.PER_TOOL_CALL + count.json(item);
            case "function_call_output", "custom_tool_call_output" -> {
                count.text += PromptMeter.PER_TOOL_CALL + count.tokens(item.path("call_id").asString(""));
                JsonNode output = item.path("output");
                if (output.isString()) {
                    count.text += count.tokens(output.asString());
                } else if (output.isArray()) {
                    for (JsonNode part : output) {
                        part(count, part);
                    }
                } else {
                    count.text += count.json(output);
                }
            }
            // Reasoning (its encrypted content too), item references, built-in tool calls: their whole JSON.
            default -> count.text += Math.max(1, count.json(item));
        }
    }

    /** A content part, as chat counts its parts: text, images by the family's formula, audio by its length. */
    private void part(TokenCount count, JsonNode part) {
        count.text += PromptMeter.PER_PART;
        if (part.isString()) {
            count.text += count.tokens(part.asString());
            return;
        }
        switch (part.path("type").asString("")) {
            case "input_text", "output_text", "text" -> count.text += count.tokens(part.path("text").asString(""));
            case "refusal" -> count.text += count.tokens(part.path("refusal").asString(""));
            case "input_image" -> {
                // A data URL by its real size; a URL or a file id (not fetched) at the formula's cap.
                ImageSize size = ImageSize.ofDataUrl(part.path("image_url").asString("")).orElse(null);
                count.media += PromptMeter.PER_IMAGE + count.family.images().tokens(size,
                        part.path("detail").asString("auto"));
            }
            case "input_audio" -> count.media += AudioTokens.bound(part.path("input_audio").path("data")
                    .asString(""));
            // Files and anything new: their whole JSON, as chat holds its file parts.
            default -> count.text += Math.max(1, count.json(part));
        }
    }
}

package dev.tally.gateway.pricing;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most input tokens Anthropic can bill for a Messages API body, as its client sent it: {@code system}, every
 * message's content blocks (text, images by Anthropic's pixel formula, documents, tool calls and results, thinking),
 * the tool definitions with the system prompt Anthropic adds for them, and {@code tool_choice}. Text is counted as
 * {@link PromptMeter} counts it (cl100k_base times the family's factor, with the same per-message and per-part
 * margins); each bound is in docs/gateway.md, section "Anthropic's Messages API", item "What is held".
 */
@Component
public class MessagesMeter {

    /**
     * Anthropic adds a system prompt when tools are given: 346 tokens (auto or none) and 313 (any or a named tool) on
     * current models, up to 530 on Claude 3 Opus, as its pricing page lists them. Held at more than the largest.
     */
    static final int TOOL_USE_SYSTEM_PROMPT = 600;
    /** Anthropic's limit of pages per request's PDFs, and its stated text cost of a dense page. */
    static final int MAX_PDF_PAGES = 100;
    static final int PDF_TEXT_PER_PAGE = 3_000;
    private static final Pattern PDF_PAGE = Pattern.compile("/Type\\s*/Page(?![A-Za-z])");

    private final Tokenizer tokenizer;

    public MessagesMeter(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public int inputTokens(ModelFamily family, JsonNode body) {
        TokenCount count = new TokenCount(tokenizer, family);
        count.text += PromptMeter.REPLY;
        JsonNode system = body.path("system");
        if (system.isString()) {
            count.text += PromptMeter.PER_MESSAGE + count.tokens(system.asString());
        } else if (system.isArray()) {
            count.text += PromptMeter.PER_MESSAGE;
            blocks(count, system);
        }
        for (JsonNode message : body.path("messages")) {
            count.text += PromptMeter.PER_MESSAGE + count.tokens(message.path("role").asString(""));
            content(count, message.path("content"));
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            count.media += TOOL_USE_SYSTEM_PROMPT;
            count.text += PromptMeter.TOOLS_BLOCK;
            for (JsonNode tool : tools) {
                count.text += PromptMeter.PER_TOOL + count.json(tool);
            }
        }
        JsonNode choice = body.path("tool_choice");
        if (choice.isObject()) {
            count.text += count.json(choice);
        }
        long total = (long) Math.ceil(count.text * family.textFactor()) + count.media;
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private void content(TokenCount count, JsonNode content) {
        if (content.isString()) {
            count.text += count.tokens(content.asString());
        } else if (content.isArray()) {
            blocks(count, content);
        } else if (!content.isMissingNode() && !content.isNull()) {
            count.text += count.json(content);
        }
    }

    private void blocks(TokenCount count, JsonNode blocks) {
        for (JsonNode block : blocks) {
            count.text += PromptMeter.PER_PART;
            if (block.isString()) {
                count.text += count.tokens(block.asString());
                continue;
            }
            switch (block.path("type").asString("")) {
                case "text" -> count.text += count.tokens(block.path("text").asString(""));
                case "image" -> count.media += PromptMeter.PER_IMAGE + image(count.family, block.path("source"));
                case "document" -> document(count, block);
                case "tool_use", "server_tool_use" -> count.text += PromptMeter.PER_TOOL_CALL + count.json(block);
                case "tool_result" -> {
                    count.text += PromptMeter.PER_TOOL_CALL
                            + count.tokens(block.path("tool_use_id").asString(""));
                    content(count, block.path("content"));
                }
                // Thinking, redacted thinking, search results, new block types: their whole JSON, never less.
                default -> count.text += Math.max(1, count.json(block));
            }
        }
    }

    /** An inline image by its real size; a URL or file (not fetched) at the formula's cap. */
    private static int image(ModelFamily family, JsonNode source) {
        ImageSize size = "base64".equals(source.path("type").asString(""))
                ? decoded(source.path("data").asString("")).flatMap(ImageSize::of)
                        .filter(s -> s.width() > 0 && s.height() > 0).orElse(null)
                : null;
        return family.images().tokens(size, "auto");
    }

    /**
     * A PDF is billed as each page's text plus each page as an image. Inline: every page at the image cap plus the
     * file's size in bytes as text tokens (a token is at least a byte of text; text inside compressed streams could
     * exceed it). By URL or file id (not fetched): Anthropic's page limit at the image cap and a dense page's text.
     * Plain-text and content-block documents are counted as text.
     */
    private void document(TokenCount count, JsonNode block) {
        count.text += count.tokens(block.path("title").asString("")) + count.tokens(block.path("context")
                .asString(""));
        JsonNode source = block.path("source");
        int imageCap = count.family.images().tokens(null, "auto");
        switch (source.path("type").asString("")) {
            case "text" -> count.text += count.tokens(source.path("data").asString(""));
            case "content" -> content(count, source.path("content"));
            case "base64" -> {
                byte[] bytes = decoded(source.path("data").asString("")).orElse(null);
                if (bytes == null) {
                    count.media += (long) source.path("data").asString("").length();
                    return;
                }
                count.media += pdfPages(bytes) * (long) imageCap + bytes.length;
            }
            default -> count.media += (long) MAX_PDF_PAGES * (imageCap + PDF_TEXT_PER_PAGE);
        }
    }

    /** The pages a PDF declares ({@code /Type /Page} objects), at least one. */
    static int pdfPages(byte[] pdf) {
        Matcher pages = PDF_PAGE.matcher(new String(pdf, StandardCharsets.ISO_8859_1));
        int found = 0;
        while (pages.find()) {
            found++;
        }
        return Math.max(1, found);
    }

    private static Optional<byte[]> decoded(String base64) {
        try {
            return Optional.of(Base64.getMimeDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package dev.tally.gateway.pricing;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the hold needs to know about a model to bound what its provider bills: which tokenizer counts its text (and by
 * how much that count must be scaled when the real tokenizer is not public), how it bills images, and which request
 * fields it accepts. Recognised by name; see docs/gateway.md, "What is held".
 *
 * @param o200k      count text with o200k_base (else cl100k_base)
 * @param textFactor multiplies the text count: 1 where the tokenizer is the provider's own
 * @param reasoning  OpenAI's reasoning families, which take {@code max_completion_tokens} and refuse {@code max_tokens}
 * @param anthropic  served through Anthropic's Messages API: one choice per request, Anthropic's image billing
 */
public record ModelFamily(String name, boolean o200k, double textFactor, ImageBilling images, boolean reasoning,
        boolean anthropic, boolean openAi) {

    /*
     * Claude's tokenizer is not public. Measured against OpenAI's tokenizers, Claude up to 4.6 counts 16 % (English
     * prose) to 30 % (Python) more tokens than o200k_base, and cl100k_base counts at least as many as o200k_base on
     * those texts: 1.35 × cl100k covers the measurements with a margin. Opus 4.7 brought a new tokenizer that Anthropic
     * says counts up to 1.35× more than 4.6, measured up to 1.47× on English technical text: 1.35 × 1.47 ≈ 2.0 for it
     * and for every Claude model not known to be older (a new model is more likely to share the newer tokenizer).
     */
    static final double CLAUDE_FACTOR = 1.35;
    static final double NEW_CLAUDE_FACTOR = 2.0;
    /**
     * Self-hosted and other OpenAI-compatible models (Llama, Mistral, Qwen…) use tokenizers we do not ship; a
     * SentencePiece vocabulary of 32k counts up to about a third more than cl100k_base on English and code.
     */
    static final double UNKNOWN_FACTOR = 1.35;

    private static final Pattern CLAUDE_BEFORE_4_7 = Pattern.compile(
            "claude-(instant|[23]).*|claude-(opus|sonnet|haiku)-4(-[0-6])?(-\\d{8}.*|-latest|@.*|:.*|-v\\d.*)?");

    public static ModelFamily of(String model, String provider) {
        String m = model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        int claude = m.indexOf("claude");
        if ("anthropic".equals(provider) || claude >= 0) {
            boolean older = claude >= 0 && CLAUDE_BEFORE_4_7.matcher(m.substring(claude)).matches();
            return new ModelFamily(older ? "claude" : "claude-4.7+", false,
                    older ? CLAUDE_FACTOR : NEW_CLAUDE_FACTOR,
                    older ? ImageBilling.claude(1568, 1600, false)
                            : ImageBilling.claude(2576, 5000, true), false, true, false);
        }
        if ("mock".equals(provider)) {
            // The mock provider bills this very count, so it is exact.
            return new ModelFamily("mock", false, 1.0, ImageBilling.tiles(85, 170), false, false, false);
        }
        boolean reasoning = m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4")
                || (m.startsWith("gpt-5") && !m.startsWith("gpt-5-chat"));
        if (reasoning || m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1")
                || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")) {
            return new ModelFamily("openai-o200k", true, 1.0, openAiImages(m), reasoning, false, true);
        }
        // OpenAI's embedding models and its last legacy-completions base models count with cl100k_base.
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding-")
                || m.equals("davinci-002") || m.equals("babbage-002")) {
            return new ModelFamily("openai-cl100k", false, 1.0, ImageBilling.tiles(85, 170), false, false, true);
        }
        return new ModelFamily("other", false, UNKNOWN_FACTOR, ImageBilling.tiles(85, 170), false, false, false);
    }

    /** OpenAI's per-model image rates: tiles of 512 px for most, 32-px patches times a multiplier for the small ones. */
    private static ImageBilling openAiImages(String m) {
        if (m.startsWith("gpt-4o-mini")) {
            return ImageBilling.tiles(2833, 5667);
        }
        if (m.startsWith("gpt-4.1-mini") || m.startsWith("gpt-5-mini")) {
            return ImageBilling.patches(1.62);
        }
        if (m.startsWith("gpt-4.1-nano") || m.startsWith("gpt-5-nano")) {
            return ImageBilling.patches(2.46);
        }
        if (m.startsWith("o4-mini")) {
            return ImageBilling.patches(1.72);
        }
        if (m.startsWith("o1") || m.startsWith("o3")) {
            return ImageBilling.tiles(75, 150);
        }
        if (m.startsWith("gpt-5")) {
            return ImageBilling.tiles(70, 140);
        }
        return ImageBilling.tiles(85, 170);
    }
}

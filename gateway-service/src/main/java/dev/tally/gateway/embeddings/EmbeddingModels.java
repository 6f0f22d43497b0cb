package dev.tally.gateway.embeddings;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * What the gateway knows of embedding models by name: which are embedding models at all (a chat model has no
 * embeddings endpoint, and an embedding model no completions), and OpenAI's stated limits for its own.
 */
public final class EmbeddingModels {

    /** OpenAI: "8192 tokens for all embedding models" per input. */
    static final int OPENAI_MAX_INPUT_TOKENS = 8192;
    /** OpenAI: at most 300,000 tokens summed over all inputs of one request. */
    static final int OPENAI_MAX_REQUEST_TOKENS = 300_000;
    /** OpenAI: at most 2,048 inputs in one request. */
    static final int MAX_INPUTS = 2048;

    private EmbeddingModels() {
    }

    /** text-embedding-3-small, nomic-embed-text, mxbai-embed-large…: embedding models say so in their names. */
    public static boolean embedding(String model) {
        return bareName(model).contains("embed");
    }

    /** The most tokens one input may have, where the model's maker states it. */
    static OptionalInt maxInputTokens(String model) {
        return openAi(model) ? OptionalInt.of(OPENAI_MAX_INPUT_TOKENS) : OptionalInt.empty();
    }

    /** The most tokens all inputs of one request may have together, where the model's maker states it. */
    static OptionalInt maxRequestTokens(String model) {
        return openAi(model) ? OptionalInt.of(OPENAI_MAX_REQUEST_TOKENS) : OptionalInt.empty();
    }

    private static boolean openAi(String model) {
        return bareName(model).startsWith("text-embedding-");
    }

    private static String bareName(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.substring(m.lastIndexOf('/') + 1);
    }
}

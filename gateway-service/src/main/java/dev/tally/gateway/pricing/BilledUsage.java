package dev.tally.gateway.pricing;

/**
 * A provider's usage block in one shape, each category once and apart from the others, so that each is priced at
 * its own rate: OpenAI counts cached tokens inside prompt_tokens and reasoning tokens inside completion_tokens,
 * Anthropic counts cache reads and writes outside input_tokens; here none includes another.
 *
 * @param inputTokens      input tokens read neither from nor into the prompt cache
 * @param cachedInputTokens input tokens read from the prompt cache
 * @param cacheWriteTokens input tokens written to the prompt cache
 * @param outputTokens     output tokens other than reasoning
 * @param reasoningTokens  reasoning (thinking) output tokens the provider reports apart
 * @param reported         false when the provider sent no usage and the counts are what the gateway counted
 */
public record BilledUsage(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens,
        long reasoningTokens, boolean reported) {

    public BilledUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("negative token count in " + inputTokens + "/" + cachedInputTokens
                    + "/" + cacheWriteTokens + "/" + outputTokens + "/" + reasoningTokens);
        }
    }

    /** Plain input and output as the provider reported them, with no cache or reasoning tokens. */
    public static BilledUsage of(long inputTokens, long outputTokens) {
        return new BilledUsage(inputTokens, 0, 0, outputTokens, 0, true);
    }

    /** What the gateway counted itself, when the provider sent no usage: the prompt estimate and the text seen. */
    public static BilledUsage counted(long promptTokens, long completionTokens) {
        return new BilledUsage(promptTokens, 0, 0, completionTokens, 0, false);
    }

    /**
     * OpenAI's usage: {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens} and
     * {@code completion_tokens} includes {@code completion_tokens_details.reasoning_tokens}. A detail larger than
     * its total (a server that counts differently) is capped at the total, so nothing is counted twice.
     */
    public static BilledUsage openAi(long promptTokens, long cachedTokens, long completionTokens,
            long reasoningTokens) {
        long prompt = Math.max(0, promptTokens);
        long completion = Math.max(0, completionTokens);
        long cached = Math.min(prompt, Math.max(0, cachedTokens));
        long reasoning = Math.min(completion, Math.max(0, reasoningTokens));
        return new BilledUsage(prompt - cached, cached, 0, completion - reasoning, reasoning, true);
    }

    /** Anthropic's usage: {@code input_tokens} excludes the cache reads and writes, which are reported apart. */
    public static BilledUsage anthropic(long inputTokens, long cacheReadTokens, long cacheWriteTokens,
            long outputTokens) {
        return new BilledUsage(Math.max(0, inputTokens), Math.max(0, cacheReadTokens), Math.max(0, cacheWriteTokens),
                Math.max(0, outputTokens), 0, true);
    }

    /** Every input token, cached or not: OpenAI's prompt_tokens. */
    public long totalInputTokens() {
        return inputTokens + cachedInputTokens + cacheWriteTokens;
    }

    /** Every output token, reasoning included: OpenAI's completion_tokens. */
    public long totalOutputTokens() {
        return outputTokens + reasoningTokens;
    }
}

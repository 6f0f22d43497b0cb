package dev.tally.analytics.leaderboard;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * TokenPool's efficiency score: completion tokens per prompt token. A higher score means more answer for
 * the context sent; long prompts that yield short answers (stuffed context, retries of the same prompt) score low.
 */
public final class Efficiency {

    private Efficiency() {
    }

    /** @return the score with three decimals, or null when nothing was prompted (no ratio exists) */
    public static Double score(long promptTokens, long completionTokens) {
        if (promptTokens <= 0) {
            return null;
        }
        return BigDecimal.valueOf(completionTokens).divide(BigDecimal.valueOf(promptTokens), 3, RoundingMode.HALF_UP)
                .doubleValue();
    }

    /** Credits per thousand completion tokens: what one unit of useful output cost; null without output. */
    public static Double creditsPerThousandCompletionTokens(long credits, long completionTokens) {
        if (completionTokens <= 0) {
            return null;
        }
        return BigDecimal.valueOf(credits).multiply(BigDecimal.valueOf(1000))
                .divide(BigDecimal.valueOf(completionTokens), 3, RoundingMode.HALF_UP).doubleValue();
    }
}

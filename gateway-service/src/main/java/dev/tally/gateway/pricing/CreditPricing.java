package dev.tally.gateway.pricing;

import dev.tally.events.governance.PriceState;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Agent Control's formula: credits = ceil((input/1000 × input price + output/1000 × output price) × credits_per_usd),
 * with each usage category at its own rate. Prices are decimals, so this is the one place money meets BigDecimal,
 * once per request; everything after is long.
 */
public final class CreditPricing {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private CreditPricing() {
    }

    /**
     * The most a request of these sizes can cost, for the hold: how the provider will split the tokens (cache hits,
     * cache writes, reasoning) is unknown until it answers, so every input token is priced at the dearest input-side
     * rate and every output token at the dearer of output and reasoning.
     */
    public static long credits(PriceState price, long creditsPerUsd, long inputTokens, long outputTokens) {
        BigDecimal usdTimesThousand = mostPerInputToken(price).multiply(BigDecimal.valueOf(inputTokens))
                .add(mostPerOutputToken(price).multiply(BigDecimal.valueOf(outputTokens)));
        return credits(usdTimesThousand, creditsPerUsd);
    }

    /** What the provider billed, each category at its rate, rounded up once. */
    public static long charge(PriceState price, long creditsPerUsd, BilledUsage usage) {
        BigDecimal usdTimesThousand = price.inputUsdPer1k().multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(cachedInput(price).multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
                .add(cacheWrite(price).multiply(BigDecimal.valueOf(usage.cacheWriteTokens())))
                .add(price.outputUsdPer1k().multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(reasoning(price).multiply(BigDecimal.valueOf(usage.reasoningTokens())));
        return credits(usdTimesThousand, creditsPerUsd);
    }

    private static long credits(BigDecimal usdTimesThousand, long creditsPerUsd) {
        return usdTimesThousand.multiply(BigDecimal.valueOf(creditsPerUsd))
                .divide(THOUSAND, 0, RoundingMode.CEILING).longValueExact();
    }

    private static BigDecimal cachedInput(PriceState price) {
        return price.cachedInputUsdPer1k() != null ? price.cachedInputUsdPer1k() : price.inputUsdPer1k();
    }

    private static BigDecimal cacheWrite(PriceState price) {
        return price.cacheWriteUsdPer1k() != null ? price.cacheWriteUsdPer1k() : price.inputUsdPer1k();
    }

    private static BigDecimal reasoning(PriceState price) {
        return price.reasoningUsdPer1k() != null ? price.reasoningUsdPer1k() : price.outputUsdPer1k();
    }

    /** Cache reads are never dearer than fresh input in practice, but the hold does not rely on it. */
    private static BigDecimal mostPerInputToken(PriceState price) {
        return price.inputUsdPer1k().max(cachedInput(price)).max(cacheWrite(price));
    }

    private static BigDecimal mostPerOutputToken(PriceState price) {
        return price.outputUsdPer1k().max(reasoning(price));
    }
}

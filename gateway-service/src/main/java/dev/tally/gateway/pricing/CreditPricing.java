package dev.tally.gateway.pricing;

import dev.tally.events.governance.PriceState;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Agent Control's formula: credits = ceil((input/1000 × input price + output/1000 × output price) × credits_per_usd).
 * Prices are decimals, so this is the one place money meets BigDecimal, once per request; everything after is long.
 */
public final class CreditPricing {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private CreditPricing() {
    }

    public static long credits(PriceState price, long creditsPerUsd, long inputTokens, long outputTokens) {
        BigDecimal usdTimesThousand = price.inputUsdPer1k().multiply(BigDecimal.valueOf(inputTokens))
                .add(price.outputUsdPer1k().multiply(BigDecimal.valueOf(outputTokens)));
        return usdTimesThousand.multiply(BigDecimal.valueOf(creditsPerUsd))
                .divide(THOUSAND, 0, RoundingMode.CEILING).longValueExact();
    }
}

package dev.tally.governance.pricing;

import dev.tally.events.governance.PriceState;

import java.math.BigDecimal;
import java.time.Instant;

/** The cache and reasoning rates are optional: null means the input price (cache) or the output price (reasoning). */
public record Price(String provider, String model, BigDecimal inputUsdPer1k, BigDecimal outputUsdPer1k,
        BigDecimal cachedInputUsdPer1k, BigDecimal cacheWriteUsdPer1k, BigDecimal reasoningUsdPer1k,
        Instant updatedAt) {

    public PriceState state() {
        return new PriceState(provider, model, inputUsdPer1k, outputUsdPer1k, cachedInputUsdPer1k,
                cacheWriteUsdPer1k, reasoningUsdPer1k, updatedAt);
    }
}

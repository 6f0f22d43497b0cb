package dev.tally.governance.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;

/** Agent Control's pricing row: US dollars per 1,000 tokens; a null cache or reasoning rate uses the base rate. */
public record PriceView(String provider, String model, @JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
        @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k,
        @JsonProperty("cached_input_usd_per_1k") BigDecimal cachedInputUsdPer1k,
        @JsonProperty("cache_write_usd_per_1k") BigDecimal cacheWriteUsdPer1k,
        @JsonProperty("reasoning_usd_per_1k") BigDecimal reasoningUsdPer1k, Instant updatedAt) {

    static PriceView of(Price p) {
        return new PriceView(p.provider(), p.model(), plain(p.inputUsdPer1k()), plain(p.outputUsdPer1k()),
                plain(p.cachedInputUsdPer1k()), plain(p.cacheWriteUsdPer1k()), plain(p.reasoningUsdPer1k()),
                p.updatedAt());
    }

    /**
     * Without the stored scale's trailing zeros ({@code 0.0025}, not {@code 0.0025000000}), but never with a
     * negative scale: {@code stripTrailingZeros} alone turns 10 into 1E+1, which JSON shows as {@code 1E+1}.
     */
    static BigDecimal plain(BigDecimal usd) {
        return usd == null ? null : new BigDecimal(usd.stripTrailingZeros().toPlainString());
    }
}

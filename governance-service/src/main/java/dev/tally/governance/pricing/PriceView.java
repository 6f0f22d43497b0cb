package dev.tally.governance.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;

/** Agent Control's pricing row: US dollars per 1,000 tokens. */
public record PriceView(String provider, String model, @JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
        @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k, Instant updatedAt) {

    static PriceView of(Price p) {
        return new PriceView(p.provider(), p.model(), plain(p.inputUsdPer1k()), plain(p.outputUsdPer1k()),
                p.updatedAt());
    }

    /**
     * Without the stored scale's trailing zeros ({@code 0.0025}, not {@code 0.0025000000}), but never with a
     * negative scale: {@code stripTrailingZeros} alone turns 10 into 1E+1, which JSON shows as {@code 1E+1}.
     */
    static BigDecimal plain(BigDecimal usd) {
        return new BigDecimal(usd.stripTrailingZeros().toPlainString());
    }
}

package dev.tally.governance.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;

/** Seed 004's pricing row: US dollars per 1,000 tokens. */
public record PriceView(String provider, String model, @JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
        @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k, Instant updatedAt) {

    static PriceView of(Price p) {
        return new PriceView(p.provider(), p.model(), p.inputUsdPer1k().stripTrailingZeros(),
                p.outputUsdPer1k().stripTrailingZeros(), p.updatedAt());
    }
}

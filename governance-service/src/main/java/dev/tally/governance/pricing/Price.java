package dev.tally.governance.pricing;

import dev.tally.events.governance.PriceState;

import java.math.BigDecimal;
import java.time.Instant;

public record Price(String provider, String model, BigDecimal inputUsdPer1k, BigDecimal outputUsdPer1k,
        Instant updatedAt) {

    public PriceState state() {
        return new PriceState(provider, model, inputUsdPer1k, outputUsdPer1k, updatedAt);
    }
}

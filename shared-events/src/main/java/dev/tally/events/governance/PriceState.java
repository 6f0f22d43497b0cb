package dev.tally.events.governance;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The platform price of a model in US dollars per 1,000 tokens. Decimal, not floating point: a gateway converts
 * to integer credits once per request with the org's credits_per_usd, rounding up.
 */
public record PriceState(String provider, String model,
        @JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
        @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k,
        Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "price:" + provider + "/" + model;
    }

    @Override
    public String orgId() {
        return null;
    }
}

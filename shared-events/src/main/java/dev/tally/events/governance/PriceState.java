package dev.tally.events.governance;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The platform price of a model in US dollars per 1,000 tokens. Decimal, not floating point: a gateway converts
 * to integer credits once per request with the org's credits_per_usd, rounding up.
 *
 * @param cachedInputUsdPer1k input tokens the provider read from its prompt cache; null: the input price
 * @param cacheWriteUsdPer1k  input tokens the provider wrote to its prompt cache; null: the input price
 * @param reasoningUsdPer1k   reasoning output tokens; null: the output price
 */
public record PriceState(String provider, String model,
        @JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
        @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k,
        @JsonProperty("cached_input_usd_per_1k") BigDecimal cachedInputUsdPer1k,
        @JsonProperty("cache_write_usd_per_1k") BigDecimal cacheWriteUsdPer1k,
        @JsonProperty("reasoning_usd_per_1k") BigDecimal reasoningUsdPer1k,
        Instant updatedAt) implements GovernanceState {

    /** A price with no separate cache or reasoning rates. */
    public PriceState(String provider, String model, BigDecimal inputUsdPer1k, BigDecimal outputUsdPer1k,
            Instant updatedAt) {
        this(provider, model, inputUsdPer1k, outputUsdPer1k, null, null, null, updatedAt);
    }

    @Override
    public String stateKey() {
        return "price:" + provider + "/" + model;
    }

    @Override
    public String orgId() {
        return null;
    }
}

package dev.tally.events.governance;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The platform price of a model in US dollars per 1,000 tokens. Decimal, not floating point: a gateway converts
 * to integer credits once per request with the org's credits_per_usd, rounding up.
 */
public record PriceState(String provider, String model, BigDecimal inputUsdPer1k, BigDecimal outputUsdPer1k,
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

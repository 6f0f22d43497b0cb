package dev.tally.gateway.pricing;

import dev.tally.events.governance.PriceState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The hold is sized before the provider says how it split the tokens; it must cover every split. */
class CreditPricingProperties {

    @Property
    void the_hold_covers_the_charge_of_every_split_of_the_same_tokens(@ForAll("prices") PriceState price,
            @ForAll @LongRange(min = 1, max = 1_000_000) long creditsPerUsd,
            @ForAll @LongRange(max = 1_000_000) long input, @ForAll @LongRange(max = 1_000_000) long cached,
            @ForAll @LongRange(max = 1_000_000) long written, @ForAll @LongRange(max = 1_000_000) long output,
            @ForAll @LongRange(max = 1_000_000) long reasoning) {
        BilledUsage usage = new BilledUsage(input, cached, written, output, reasoning, true);

        long hold = CreditPricing.credits(price, creditsPerUsd, usage.totalInputTokens(), usage.totalOutputTokens());

        assertThat(CreditPricing.charge(price, creditsPerUsd, usage)).isLessThanOrEqualTo(hold);
    }

    @Provide
    Arbitrary<PriceState> prices() {
        Arbitrary<BigDecimal> rate = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100"))
                .ofScale(10);
        Arbitrary<BigDecimal> optional = rate.injectNull(0.3);
        return Combinators.combine(rate, rate, optional, optional, optional)
                .as((in, out, cachedRate, writeRate, reasoningRate) -> new PriceState("p", "m", in, out, cachedRate,
                        writeRate, reasoningRate, Instant.EPOCH));
    }
}

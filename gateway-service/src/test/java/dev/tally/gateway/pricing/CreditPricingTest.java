package dev.tally.gateway.pricing;

import dev.tally.events.governance.PriceState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CreditPricingTest {

    private static PriceState price(String input, String output) {
        return new PriceState("openai", "model", new BigDecimal(input), new BigDecimal(output), Instant.EPOCH);
    }

    private static final PriceState GPT_4O_MINI = price("0.00015", "0.0006");

    @Test
    void a_fraction_of_a_credit_rounds_up_to_one() {
        // (1000 × 0.00015 + 1000 × 0.0006) / 1000 × 100 = 0.075
        assertThat(CreditPricing.credits(GPT_4O_MINI, 100, 1000, 1000)).isEqualTo(1);
    }

    @Test
    void a_cost_of_exactly_whole_credits_is_not_rounded_up() {
        // (1000 × 0.01 + 1000 × 0.03) / 1000 × 100 = 4
        assertThat(CreditPricing.credits(price("0.01", "0.03"), 100, 1000, 1000)).isEqualTo(4);
    }

    @Test
    void a_cost_just_over_whole_credits_rounds_up() {
        // (1001 × 0.01) / 1000 × 100 = 1.001
        assertThat(CreditPricing.credits(price("0.01", "0.03"), 100, 1001, 0)).isEqualTo(2);
    }

    @Test
    void input_and_output_tokens_have_their_own_prices() {
        // 2000 in × 0.005 = 0.01 USD; 500 out × 0.015 = 0.0075 USD; × 1000 credits/USD = 17.5
        assertThat(CreditPricing.credits(price("0.005", "0.015"), 1000, 2000, 500)).isEqualTo(18);
        assertThat(CreditPricing.credits(price("0.005", "0.015"), 1000, 500, 2000)).isEqualTo(33);
    }

    @Test
    void zero_tokens_cost_nothing() {
        assertThat(CreditPricing.credits(GPT_4O_MINI, 100, 0, 0)).isZero();
    }

    @Test
    void large_token_counts_do_not_overflow() {
        // 10^12 tokens each way at 0.0025 / 0.01 USD per 1k, 10^6 credits per USD = 1.25 × 10^13 credits
        assertThat(CreditPricing.credits(price("0.0025", "0.01"), 1_000_000, 1_000_000_000_000L,
                1_000_000_000_000L)).isEqualTo(12_500_000_000_000L);
    }
}

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
    /** One credit per micro-dollar, so these tests read in exact USD × 10^6. */
    private static final long MICRO = 1_000_000;
    /** in 0.0025, out 0.01, cache read 0.00125, cache write 0.003125, reasoning 0.04 USD per 1k. */
    private static final PriceState ALL_RATES = new PriceState("openai", "model", new BigDecimal("0.0025"),
            new BigDecimal("0.01"), new BigDecimal("0.00125"), new BigDecimal("0.003125"), new BigDecimal("0.04"),
            Instant.EPOCH);
    private static final PriceState BASE_RATES_ONLY = price("0.0025", "0.01");

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

    @Test
    void uncached_input_and_output_are_charged_at_the_base_rates() {
        assertThat(CreditPricing.charge(ALL_RATES, MICRO, new BilledUsage(1000, 0, 0, 1000, 0, true)))
                .isEqualTo(2_500 + 10_000);
    }

    @Test
    void cached_input_is_charged_at_the_cached_input_rate() {
        assertThat(CreditPricing.charge(ALL_RATES, MICRO, new BilledUsage(0, 1000, 0, 0, 0, true)))
                .isEqualTo(1_250);
    }

    @Test
    void cached_input_without_a_cached_rate_is_charged_at_the_input_rate() {
        assertThat(CreditPricing.charge(BASE_RATES_ONLY, MICRO, new BilledUsage(0, 1000, 0, 0, 0, true)))
                .isEqualTo(2_500);
    }

    @Test
    void cache_writes_are_charged_at_the_cache_write_rate() {
        assertThat(CreditPricing.charge(ALL_RATES, MICRO, new BilledUsage(0, 0, 1000, 0, 0, true)))
                .isEqualTo(3_125);
    }

    @Test
    void cache_writes_without_a_cache_write_rate_are_charged_at_the_input_rate() {
        assertThat(CreditPricing.charge(BASE_RATES_ONLY, MICRO, new BilledUsage(0, 0, 1000, 0, 0, true)))
                .isEqualTo(2_500);
    }

    @Test
    void reasoning_is_charged_at_the_reasoning_rate() {
        assertThat(CreditPricing.charge(ALL_RATES, MICRO, new BilledUsage(0, 0, 0, 0, 1000, true)))
                .isEqualTo(40_000);
    }

    @Test
    void reasoning_without_a_reasoning_rate_is_charged_at_the_output_rate() {
        assertThat(CreditPricing.charge(BASE_RATES_ONLY, MICRO, new BilledUsage(0, 0, 0, 0, 1000, true)))
                .isEqualTo(10_000);
    }

    @Test
    void openai_usage_is_charged_once_per_token_cached_and_reasoning_tokens_not_again_at_the_base_rates() {
        // prompt 3000 of which 2000 cached, completion 500 of which 300 reasoning:
        // 1000 × 2.5 + 2000 × 1.25 + 200 × 10 + 300 × 40 = 2500 + 2500 + 2000 + 12000
        BilledUsage usage = BilledUsage.openAi(3000, 2000, 500, 300);

        assertThat(CreditPricing.charge(ALL_RATES, MICRO, usage)).isEqualTo(19_000);
    }

    @Test
    void anthropic_usage_adds_cache_reads_and_writes_to_the_uncached_input() {
        // 100 uncached × 2.5 + 1000 read × 1.25 + 2000 written × 3.125 + 50 out × 10 (micro-USD per token × 1000)
        BilledUsage usage = BilledUsage.anthropic(100, 1000, 2000, 50);

        assertThat(usage.totalInputTokens()).isEqualTo(3100);
        assertThat(CreditPricing.charge(ALL_RATES, MICRO, usage)).isEqualTo(250 + 1_250 + 6_250 + 500);
    }

    @Test
    void the_charge_is_rounded_up_once_for_the_whole_request_not_per_category() {
        // 0.25 + 0.125 + 0.3125 + 0.01 + 0.04 = 0.7375 credits; rounding each category would make 5
        assertThat(CreditPricing.charge(ALL_RATES, 100, new BilledUsage(1000, 1000, 1000, 10, 10, true)))
                .isEqualTo(1);
    }

    @Test
    void without_cache_or_reasoning_tokens_the_charge_equals_the_plain_formula() {
        assertThat(CreditPricing.charge(price("0.005", "0.015"), 1000, BilledUsage.of(2000, 500))).isEqualTo(18);
    }

    @Test
    void the_hold_prices_input_at_the_cache_write_rate_when_writing_costs_more_than_input() {
        assertThat(CreditPricing.credits(ALL_RATES, MICRO, 1000, 0)).isEqualTo(3_125);
    }

    @Test
    void the_hold_prices_output_at_the_reasoning_rate_when_reasoning_costs_more_than_output() {
        assertThat(CreditPricing.credits(ALL_RATES, MICRO, 0, 1000)).isEqualTo(40_000);
    }

    @Test
    void the_hold_of_a_price_without_cache_or_reasoning_rates_is_the_plain_formula() {
        assertThat(CreditPricing.credits(BASE_RATES_ONLY, MICRO, 1000, 1000)).isEqualTo(12_500);
    }
}

package dev.tally.governance.pricing;

import dev.tally.events.governance.PriceState;
import dev.tally.governance.pricing.PricingController.PriceRequest;
import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.http.HttpStatus;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The input rules of prices: base rates required, cache and reasoning rates optional, none negative. */
class PricingControllerTest {

    private static final BigDecimal IN = new BigDecimal("0.0025");
    private static final BigDecimal OUT = new BigDecimal("0.01");

    private static Price price(PriceRequest request) {
        return PricingController.price("openai", "gpt-x", request, Instant.EPOCH);
    }

    @Test
    void cache_and_reasoning_rates_are_kept_and_published() {
        Price price = price(new PriceRequest(IN, OUT, new BigDecimal("0.00125"), new BigDecimal("0.003125"),
                new BigDecimal("0.04")));

        PriceState state = price.state();
        assertThat(state.cachedInputUsdPer1k()).isEqualByComparingTo("0.00125");
        assertThat(state.cacheWriteUsdPer1k()).isEqualByComparingTo("0.003125");
        assertThat(state.reasoningUsdPer1k()).isEqualByComparingTo("0.04");
    }

    @Test
    void without_cache_and_reasoning_rates_they_stay_null() {
        PriceState state = price(new PriceRequest(IN, OUT, null, null, null)).state();

        assertThat(state.cachedInputUsdPer1k()).isNull();
        assertThat(state.cacheWriteUsdPer1k()).isNull();
        assertThat(state.reasoningUsdPer1k()).isNull();
    }

    @Test
    void a_rate_of_zero_is_accepted() {
        PriceState state = price(new PriceRequest(IN, OUT, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO))
                .state();

        assertThat(state.cachedInputUsdPer1k()).isZero();
    }

    @Test
    void a_negative_cached_input_rate_is_refused_naming_the_field() {
        assertRefused(() -> price(new PriceRequest(IN, OUT, new BigDecimal("-0.001"), null, null)),
                "cached_input_usd_per_1k");
    }

    @Test
    void a_negative_cache_write_rate_is_refused_naming_the_field() {
        assertRefused(() -> price(new PriceRequest(IN, OUT, null, new BigDecimal("-0.001"), null)),
                "cache_write_usd_per_1k");
    }

    @Test
    void a_negative_reasoning_rate_is_refused_naming_the_field() {
        assertRefused(() -> price(new PriceRequest(IN, OUT, null, null, new BigDecimal("-0.001"))),
                "reasoning_usd_per_1k");
    }

    @Test
    void a_reasoning_rate_with_more_than_ten_decimals_is_refused_naming_the_field() {
        assertRefused(() -> price(new PriceRequest(IN, OUT, null, null, new BigDecimal("0.00000000001"))),
                "reasoning_usd_per_1k");
    }

    @Test
    void a_rate_above_a_thousand_dollars_per_thousand_tokens_is_refused_naming_the_field() {
        assertRefused(() -> price(new PriceRequest(new BigDecimal("1000.0000000001"), OUT, null, null, null)),
                "input_usd_per_1k");
        assertRefused(() -> price(new PriceRequest(IN, new BigDecimal("9999999999"), null, null, null)),
                "output_usd_per_1k");
    }

    @Test
    void a_rate_of_a_thousand_dollars_per_thousand_tokens_is_accepted() {
        assertThat(price(new PriceRequest(new BigDecimal("1000"), OUT, null, null, null)).inputUsdPer1k())
                .isEqualByComparingTo("1000");
    }

    @Test
    void the_input_rate_is_still_required() {
        assertThatThrownBy(() -> price(new PriceRequest(null, OUT, IN, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("missing_field");
                    assertThat(e.field()).isEqualTo("input_usd_per_1k");
                });
    }

    private static void assertRefused(Executable call, String field) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.code()).isEqualTo("invalid_field");
            assertThat(e.field()).isEqualTo(field);
        });
    }
}

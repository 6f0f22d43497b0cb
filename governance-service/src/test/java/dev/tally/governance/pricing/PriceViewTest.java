package dev.tally.governance.pricing;

import dev.tally.events.json.TallyJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Prices are stored with ten decimal places; the API shows them as a person would write them. */
class PriceViewTest {

    @Test
    void a_whole_number_price_is_shown_as_a_plain_number_not_in_exponent_form() {
        String json = json(new BigDecimal("10.0000000000"), new BigDecimal("100.0000000000"));

        assertThat(json).contains("\"input_usd_per_1k\":10,", "\"output_usd_per_1k\":100,").doesNotContain("E");
    }

    @Test
    void a_fraction_is_shown_without_the_stored_trailing_zeros() {
        String json = json(new BigDecimal("0.0025000000"), new BigDecimal("1.5000000000"));

        assertThat(json).contains("\"input_usd_per_1k\":0.0025,", "\"output_usd_per_1k\":1.5,");
    }

    @Test
    void zero_is_shown_as_zero() {
        assertThat(json(new BigDecimal("0E-10"), BigDecimal.ZERO))
                .contains("\"input_usd_per_1k\":0,", "\"output_usd_per_1k\":0,");
    }

    @Test
    void cache_and_reasoning_rates_are_shown_plain_and_absent_ones_as_null() {
        PriceView view = PriceView.of(new Price("anthropic", "claude-x", new BigDecimal("0.0030000000"),
                new BigDecimal("0.0150000000"), new BigDecimal("0.0003000000"), new BigDecimal("0.0037500000"), null,
                Instant.EPOCH));

        assertThat(new String(TallyJson.write(view), StandardCharsets.UTF_8)).contains(
                "\"cached_input_usd_per_1k\":0.0003,", "\"cache_write_usd_per_1k\":0.00375,",
                "\"reasoning_usd_per_1k\":null");
    }

    private static String json(BigDecimal input, BigDecimal output) {
        PriceView view = PriceView.of(new Price("openai", "gpt-x", input, output, null, null, null, Instant.EPOCH));
        return new String(TallyJson.write(view), StandardCharsets.UTF_8);
    }
}

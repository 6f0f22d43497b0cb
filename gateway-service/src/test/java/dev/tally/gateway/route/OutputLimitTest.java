package dev.tally.gateway.route;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.PromptMeter;
import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputLimitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ModelFamily GPT_4O = ModelFamily.of("gpt-4o", "openai");
    private static final ModelFamily O3 = ModelFamily.of("o3-mini", "openai");
    private static final ModelFamily LLAMA = ModelFamily.of("llama-3.1-8b", "vllm");
    private static final PromptMeter METER = new PromptMeter(new Tokenizer());

    private static ObjectNode body(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    private static ObjectNode forwarded(String json, Integer policyMax, ModelFamily family) {
        ObjectNode body = body(json);
        OutputLimit.of(body, policyMax, 1024).writeTo(body, family);
        return body;
    }

    @Test
    void n_multiplies_the_output_held() {
        OutputLimit limit = OutputLimit.of(body("{\"max_tokens\": 100, \"n\": 4}"), null, 1024);

        assertThat(limit.perChoice()).isEqualTo(100);
        assertThat(limit.tokens()).isEqualTo(400);
    }

    @Test
    void legacy_best_of_multiplies_it_when_larger_than_n() {
        assertThat(OutputLimit.of(body("{\"max_tokens\": 100, \"n\": 2, \"best_of\": 5}"), null, 1024).tokens())
                .isEqualTo(500);
    }

    @Test
    void the_policy_caps_each_choice_not_the_sum() {
        assertThat(OutputLimit.of(body("{\"max_completion_tokens\": 5000, \"n\": 3}"), 1000, 1024).tokens())
                .isEqualTo(3000);
        assertThat(OutputLimit.of(body("{\"n\": 3}"), null, 1024).tokens()).isEqualTo(3 * 1024);
    }

    @Test
    void n_outside_1_to_128_is_refused_naming_the_field() {
        for (String n : new String[] {"0", "129", "-1", "2.5", "\"3\""}) {
            assertThatThrownBy(() -> OutputLimit.of(body("{\"n\": " + n + "}"), null, 1024))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo("invalid_value");
                        assertThat(e.param()).isEqualTo("n");
                    });
        }
        assertThatThrownBy(() -> OutputLimit.of(body("{\"best_of\": 500}"), null, 1024))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("best_of"));
        assertThat(OutputLimit.of(body("{\"n\": 128}"), null, 1024).choices()).isEqualTo(128);
    }

    /** Jackson will not read a number past 64 bits as a long: such a value was a 500, not a 400. */
    @Test
    void numbers_past_any_integer_are_refused_naming_the_field() {
        String huge = "1" + "0".repeat(40);
        for (String field : new String[] {"max_tokens", "max_completion_tokens", "n", "best_of"}) {
            for (String value : new String[] {huge, "-" + huge}) {
                assertThatThrownBy(() -> OutputLimit.of(body("{\"" + field + "\": " + value + "}"), null, 1024))
                        .as(field + " " + value).isInstanceOfSatisfying(GatewayException.class, e -> {
                            assertThat(e.code()).isEqualTo("invalid_value");
                            assertThat(e.param()).isEqualTo(field);
                        });
            }
        }
        assertThat(BodyFields.integerIn(JSON.readTree(huge), 1, Long.MAX_VALUE)).isFalse();
        assertThat(BodyFields.integerIn(JSON.readTree(String.valueOf(Long.MAX_VALUE)), 1, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void n_above_one_on_an_anthropic_model_is_refused() {
        OutputLimit limit = OutputLimit.of(body("{\"n\": 2}"), null, 1024);

        assertThatThrownBy(() -> limit.check(ModelFamily.of("claude-3-haiku", "anthropic"), "claude-3-haiku"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_value");
                    assertThat(e.param()).isEqualTo("n");
                    assertThat(e.getMessage()).contains("claude-3-haiku").contains("one choice");
                });
        limit.check(GPT_4O, "gpt-4o");
    }

    @Test
    void max_completion_tokens_reaches_the_upstream_as_such_capped_by_the_policy() {
        ObjectNode body = forwarded("{\"max_completion_tokens\": 5000}", 2000, O3);

        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(2000);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(forwarded("{\"max_completion_tokens\": 50}", null, GPT_4O).has("max_tokens")).isFalse();
    }

    @Test
    void max_tokens_stays_max_tokens() {
        ObjectNode body = forwarded("{\"max_tokens\": 5000}", 2000, GPT_4O);

        assertThat(body.path("max_tokens").asInt()).isEqualTo(2000);
        assertThat(body.has("max_completion_tokens")).isFalse();
    }

    @Test
    void with_neither_reasoning_models_get_max_completion_tokens_and_others_max_tokens() {
        ObjectNode reasoning = forwarded("{}", null, O3);
        ObjectNode chat = forwarded("{}", null, GPT_4O);

        assertThat(reasoning.path("max_completion_tokens").asInt()).isEqualTo(1024);
        assertThat(reasoning.has("max_tokens")).isFalse();
        assertThat(chat.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(chat.has("max_completion_tokens")).isFalse();
    }

    @Test
    void servers_other_than_openai_also_get_max_tokens() {
        ObjectNode body = forwarded("{\"max_completion_tokens\": 64}", null, LLAMA);

        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void the_hold_prices_every_choice() {
        PriceState price = new PriceState("openai", "gpt-4o", new BigDecimal("0.0025"), new BigDecimal("0.01"),
                Instant.EPOCH);
        ObjectNode one = body("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 1000}");
        ObjectNode four = one.deepCopy().put("n", 4);

        HoldEstimate single = HoldEstimate.of(METER, "gpt-4o", price, 1000, one, OutputLimit.of(one, null, 1024));
        HoldEstimate quadruple = HoldEstimate.of(METER, "gpt-4o", price, 1000, four, OutputLimit.of(four, null, 1024));

        assertThat(single.outputTokens()).isEqualTo(1000);
        assertThat(quadruple.outputTokens()).isEqualTo(4000);
        // 1000 output tokens at $0.01 per 1k is 10 credits at 1000 credits a dollar; the 4 choices are 40.
        assertThat(quadruple.credits() - single.credits()).isEqualTo(30);
    }
}

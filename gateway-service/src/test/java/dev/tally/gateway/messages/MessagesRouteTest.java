package dev.tally.gateway.messages;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.MessagesMeter;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesRouteTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "claude-sonnet-4-5";
    private static final PriceState PRICE = new PriceState("anthropic", MODEL, new BigDecimal("0.003"),
            new BigDecimal("0.015"), new BigDecimal("0.0003"), new BigDecimal("0.00375"), null, Instant.EPOCH);
    private static final MessagesRoute ROUTE = new MessagesRoute(new MessagesMeter(new Tokenizer()),
            new dev.tally.gateway.pricing.PromptMeter(new Tokenizer()), null);

    private static ObjectNode body(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void max_tokens_is_required_and_named_when_missing() {
        assertThatThrownBy(() -> ROUTE.validate(body("""
                {"model":"m","messages":[{"role":"user","content":"hi"}]}""")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.param()).isEqualTo("max_tokens");
                    assertThat(e.getMessage()).contains("max_tokens");
                    assertThat(e.status().value()).isEqualTo(400);
                });
    }

    @Test
    void max_tokens_is_capped_by_the_policy_and_the_rest_of_the_body_is_forwarded_untouched() {
        ObjectNode sent = body("""
                {"model":"m","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"metadata":{"user_id":"u"}}""");

        OutputLimit output = ROUTE.output(sent, 2000, 1024);
        ObjectNode forwarded = ROUTE.forwarded(sent, output, ModelFamily.of(MODEL, "anthropic"));

        assertThat(output.perChoice()).isEqualTo(2000);
        assertThat(forwarded.path("max_tokens").asInt()).isEqualTo(2000);
        forwarded.put("max_tokens", 4000);
        assertThat(forwarded).isEqualTo(sent);
    }

    @Test
    void tools_add_anthropics_tool_use_system_prompt_to_the_input_bound() {
        ObjectNode plain = body("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        ObjectNode withTool = plain.deepCopy();
        withTool.putArray("tools").addObject().put("name", "t").putObject("input_schema").put("type", "object");

        assertThat(ROUTE.inputTokens(MODEL, PRICE, withTool) - ROUTE.inputTokens(MODEL, PRICE, plain))
                .isGreaterThan(600);
    }

    @Test
    void a_remote_image_is_held_at_the_formulas_cap_and_a_pdf_at_every_page_plus_its_bytes() {
        ObjectNode remote = body("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}]}]}""");
        String pdf = "%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R 4 0 R] >>\n"
                + "2 0 obj << /Type /Page >>\n3 0 obj << /Type/Page >>\n4 0 obj << /Type /Page /Parent 1 0 R >>\n";
        ObjectNode document = body("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"%s"}}]}]}"""
                .formatted(Base64.getEncoder().encodeToString(pdf.getBytes(StandardCharsets.ISO_8859_1))));

        assertThat(ROUTE.inputTokens(MODEL, PRICE, remote)).isGreaterThanOrEqualTo(1600);
        assertThat(ROUTE.inputTokens(MODEL, PRICE, document)).isGreaterThanOrEqualTo(3 * 1600
                + pdf.length());
    }

    @Test
    void the_hold_prices_input_at_the_cache_write_rate_and_max_tokens_at_the_output_rate() {
        ObjectNode sent = body("""
                {"model":"m","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""");
        OutputLimit output = ROUTE.output(sent, null, 1024);

        HoldEstimate hold = ROUTE.hold(MODEL, PRICE, 100_000, sent, output);

        // (input × $0.00375 + 1000 × $0.015) per 1k tokens, at 100,000 credits per USD, rounded up.
        long expected = (long) Math.ceil((hold.inputTokens() * 0.00375 + 1000 * 0.015) / 1000 * 100_000);
        assertThat(hold.outputTokens()).isEqualTo(1000);
        assertThat(hold.credits()).isEqualTo(expected);
    }

    @Test
    void messages_are_refused_naming_the_message_and_field_at_fault() {
        assertThatThrownBy(() -> ROUTE.validate(body("""
                {"max_tokens":5,"messages":[{"role":"user","content":"a"},{"role":"tool","content":"b"}]}""")))
                .isInstanceOfSatisfying(GatewayException.class, e ->
                        assertThat(e.param()).isEqualTo("messages[1].role"));
        assertThatThrownBy(() -> ROUTE.validate(body("""
                {"max_tokens":5,"messages":[{"role":"user","content":[{"text":"no type"}]}]}""")))
                .isInstanceOfSatisfying(GatewayException.class, e ->
                        assertThat(e.param()).isEqualTo("messages[0].content[0]"));
    }

    @Test
    void x_api_key_is_read_as_the_bearer_key_unless_authorization_is_sent() {
        HttpHeaders sdk = new HttpHeaders();
        sdk.set("x-api-key", "cpk_sdk");
        HttpHeaders both = new HttpHeaders();
        both.set("x-api-key", "cpk_sdk");
        both.set(HttpHeaders.AUTHORIZATION, "Bearer cpk_token");

        assertThat(MessagesController.withBearer(sdk).getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer cpk_sdk");
        assertThat(MessagesController.withBearer(both).getFirst(HttpHeaders.AUTHORIZATION))
                .isEqualTo("Bearer cpk_token");
    }
}

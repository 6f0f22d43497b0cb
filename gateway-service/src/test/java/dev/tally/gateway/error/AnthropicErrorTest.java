package dev.tally.gateway.error;

import dev.tally.events.gateway.RequestOutcome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicErrorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void a_refusal_is_anthropics_error_body_with_the_gateways_code_and_field_in_details() {
        GatewayException refusal = GatewayException.paymentRequired("budget_exceeded", "Budget b-1 would be exceeded.",
                RequestOutcome.BUDGET_EXCEEDED, "b-1");

        JsonNode body = JSON.valueToTree(AnthropicError.of(refusal));

        assertThat(body.path("type").asString()).isEqualTo("error");
        assertThat(body.path("error").path("type").asString()).isEqualTo("billing_error");
        assertThat(body.path("error").path("message").asString()).isEqualTo("Budget b-1 would be exceeded.");
        assertThat(body.path("error").path("details").path("error_code").asString()).isEqualTo("budget_exceeded");
        assertThat(body.path("error").path("details").has("param")).isFalse();
    }

    @Test
    void each_status_gets_the_type_anthropics_api_uses_for_it() {
        assertThat(AnthropicError.type(400)).isEqualTo("invalid_request_error");
        assertThat(AnthropicError.type(401)).isEqualTo("authentication_error");
        assertThat(AnthropicError.type(402)).isEqualTo("billing_error");
        assertThat(AnthropicError.type(403)).isEqualTo("permission_error");
        assertThat(AnthropicError.type(404)).isEqualTo("not_found_error");
        assertThat(AnthropicError.type(405)).isEqualTo("invalid_request_error");
        assertThat(AnthropicError.type(413)).isEqualTo("request_too_large");
        assertThat(AnthropicError.type(429)).isEqualTo("rate_limit_error");
        assertThat(AnthropicError.type(502)).isEqualTo("api_error");
        assertThat(AnthropicError.type(503)).isEqualTo("overloaded_error");
        assertThat(AnthropicError.type(504)).isEqualTo("timeout_error");
    }
}

package dev.tally.gateway.provider;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which provider 400s say the prompt is too long for the model: those a fallback chain's next step may take. */
class UpstreamErrorsTest {

    private final UpstreamErrors errors = new UpstreamErrors("p", JsonMapper.builder().build());

    @Test
    void openais_context_length_code_is_a_prompt_too_long() {
        assertThat(errors.contextLength("{\"error\":{\"message\":\"This model's maximum context length is 8192 "
                + "tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}")).isTrue();
    }

    @Test
    void anthropics_prompt_is_too_long_is_a_prompt_too_long() {
        assertThat(errors.contextLength("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 208310 tokens > 200000 maximum\"}}")).isTrue();
    }

    @Test
    void other_bad_requests_and_non_json_bodies_are_not() {
        assertThat(errors.contextLength("{\"error\":{\"message\":\"Unrecognized request argument supplied: foo\","
                + "\"type\":\"invalid_request_error\",\"code\":null}}")).isFalse();
        assertThat(errors.contextLength("<html>Bad Request</html>")).isFalse();
    }
}

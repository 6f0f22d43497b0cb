package dev.tally.servicekit.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionHandlerTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void an_api_exception_leaves_with_its_status_and_body() {
        ResponseEntity<ApiError> answer = handler.api(ApiException.invalid("after", "must not be negative"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getBody().error().field()).isEqualTo("after");
    }

    @Test
    void a_framework_status_leaves_with_a_code_named_after_it_and_its_reason() {
        ResponseEntity<ApiError> answer = handler.status(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED,
                "GET is not supported"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(answer.getBody().error().code()).isEqualTo("method_not_allowed");
        assertThat(answer.getBody().error().message()).isEqualTo("GET is not supported");
    }

    record Channel(String name, Integer escalationLevel) {
    }

    private static ServerWebInputException unreadable(String json) {
        JsonMapper mapper = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        try {
            mapper.readValue(json, Channel.class);
        } catch (JacksonException e) {
            return new ServerWebInputException("Failed to read HTTP message", null, e);
        }
        throw new AssertionError("read " + json);
    }

    @Test
    void a_number_past_what_its_field_holds_names_the_field() {
        ResponseEntity<ApiError> answer = handler.input(unreadable("{\"escalationLevel\": 9223372036854775808}"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getBody().error().field()).isEqualTo("escalationLevel");
        assertThat(answer.getBody().error().reason()).startsWith("is out of range");
    }

    @Test
    void an_unknown_field_is_named_with_the_fields_there_are() {
        ResponseEntity<ApiError> answer = handler.input(unreadable("{\"name\": \"x\", \"nmae\": \"y\"}"));

        assertThat(answer.getBody().error().field()).isEqualTo("nmae");
        assertThat(answer.getBody().error().reason()).contains("is not a field").contains("escalationLevel, name");
    }

    @Test
    void an_unexpected_failure_says_nothing_of_its_cause() {
        ResponseEntity<ApiError> answer = handler.unexpected(new IllegalStateException("password=hunter2 at line 3"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody().error().code()).isEqualTo("internal_error");
        assertThat(answer.getBody().error().message()).doesNotContain("hunter2");
    }
}

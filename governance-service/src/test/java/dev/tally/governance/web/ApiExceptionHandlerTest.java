package dev.tally.governance.web;

import dev.tally.governance.policy.PolicyRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Unreadable bodies, decoded by a mapper configured exactly as {@link JsonConfiguration} configures the app's. */
class ApiExceptionHandlerTest {

    record Named(String name) {
    }

    record Flagged(Boolean autoDisable) {
    }

    record Batch(List<Named> items) {
    }

    private static final JsonMapper MAPPER = mapper();

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void a_number_where_a_string_belongs_is_a_400_naming_the_field() {
        ApiError.Body error = answer("{\"name\": 123}", Named.class);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_field");
        assertThat(error.field()).isEqualTo("name");
    }

    @Test
    void the_status_of_the_response_is_400() {
        ResponseEntity<ApiError> response = handler.input(inputException("{\"name\": 123}", Named.class));

        assertThat(response.getStatusCode().value()).isEqualTo(HttpStatus.BAD_REQUEST.value());
    }

    @Test
    void a_field_is_named_in_snake_case_as_the_client_sent_it() {
        assertThat(answer("{\"auto_disable\": 1}", Flagged.class).field()).isEqualTo("auto_disable");
    }

    @Test
    void a_string_where_a_boolean_belongs_is_refused_naming_the_field() {
        assertThat(answer("{\"auto_disable\": \"yes\"}", Flagged.class).field()).isEqualTo("auto_disable");
    }

    @Test
    void a_string_where_an_integer_belongs_is_refused_naming_the_field() {
        assertThat(answer("{\"max_output_tokens\": \"12\"}", PolicyRequest.class).field())
                .isEqualTo("max_output_tokens");
    }

    @Test
    void a_fraction_where_an_integer_belongs_is_refused_naming_the_field() {
        assertThat(answer("{\"max_output_tokens\": 1.5}", PolicyRequest.class).field())
                .isEqualTo("max_output_tokens");
    }

    @Test
    void a_wrong_type_inside_a_list_of_objects_names_the_index_and_the_nested_field() {
        assertThat(answer("{\"time_windows\": [{\"start\": 900}]}", PolicyRequest.class).field())
                .isEqualTo("time_windows[0].start");
    }

    @Test
    void a_wrong_type_in_a_list_of_strings_names_the_index() {
        assertThat(answer("{\"allowed_models\": [\"gpt-4o\", 7]}", PolicyRequest.class).field())
                .isEqualTo("allowed_models[1]");
    }

    @Test
    void a_wrong_type_in_a_later_element_names_that_element() {
        assertThat(answer("{\"items\": [{\"name\": \"a\"}, {\"name\": false}]}", Batch.class).field())
                .isEqualTo("items[1].name");
    }

    @Test
    void broken_json_is_an_invalid_body() {
        ApiError.Body error = answer("{\"name\": ", Named.class);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_body");
        assertThat(error.field()).isNull();
        assertThat(error.message()).contains("not valid JSON");
    }

    @Test
    void a_body_without_a_jackson_cause_keeps_the_reason() {
        ApiError.Body error = handler.input(new ServerWebInputException("No request body")).getBody().error();

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_body");
        assertThat(error.message()).isEqualTo("No request body");
    }

    @Test
    void a_query_parameter_of_the_wrong_type_is_an_invalid_field_named_as_sent() throws Exception {
        MethodParameter parameter = new MethodParameter(Queries.class.getDeclaredMethod("join", boolean.class), 0);
        TypeMismatchException mismatch = new TypeMismatchException("maybe", boolean.class);
        // What WebFlux's argument resolver does before it wraps the failure.
        mismatch.initPropertyName("is_admin");

        ApiError.Body error = handler.input(new ServerWebInputException("Type mismatch.", parameter, mismatch))
                .getBody().error();

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_field");
        assertThat(error.field()).isEqualTo("is_admin");
        assertThat(error.reason()).contains("boolean");
    }

    @Test
    void a_mismatch_without_a_property_name_is_named_after_the_method_parameter() throws Exception {
        MethodParameter parameter = new MethodParameter(Queries.class.getDeclaredMethod("list", int.class), 0);
        parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());

        ApiError.Body error = handler.input(new ServerWebInputException("Type mismatch.", parameter,
                new TypeMismatchException("abc", int.class))).getBody().error();

        assertThat(error.code()).isEqualTo("invalid_field");
        assertThat(error.field()).isEqualTo("limit");
    }

    @SuppressWarnings("unused")
    private static final class Queries {

        void join(@RequestParam(name = "is_admin", defaultValue = "false") boolean isAdmin) {
        }

        void list(@RequestParam(defaultValue = "50") int limit) {
        }
    }

    private ApiError.Body answer(String json, Class<?> type) {
        ResponseEntity<ApiError> response = handler.input(inputException(json, type));
        assertThat(response.getBody()).isNotNull();
        return response.getBody().error();
    }

    /** As WebFlux reports it: the Jackson failure inside a DecodingException inside a ServerWebInputException. */
    private static ServerWebInputException inputException(String json, Class<?> type) {
        JacksonException failure = catchThrowableOfType(JacksonException.class, () -> MAPPER.readValue(json, type));
        assertThat(failure).as("expected %s not to be readable as %s", json, type.getSimpleName()).isNotNull();
        return new ServerWebInputException("Failed to read HTTP message", null,
                new DecodingException("JSON decoding error: " + failure.getOriginalMessage(), failure));
    }

    private static JsonMapper mapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new JsonConfiguration().strictTallyJson().customize(builder);
        return builder.build();
    }
}

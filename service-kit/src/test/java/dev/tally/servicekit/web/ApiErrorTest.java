package dev.tally.servicekit.web;

import dev.tally.events.json.TallyJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The body the docs promise for every admin API's errors; a change here is a change of the public API. */
class ApiErrorTest {

    @Test
    void a_refused_field_names_the_field_and_the_reason() {
        assertThat(TallyJson.mapper().writeValueAsString(ApiError.of(ApiException.invalid("limit",
                "must be between 1 and 500"))))
                .isEqualTo("{\"error\":{\"status\":400,\"code\":\"invalid_field\","
                        + "\"message\":\"limit must be between 1 and 500\",\"field\":\"limit\","
                        + "\"reason\":\"must be between 1 and 500\"}}");
    }

    @Test
    void an_error_without_a_field_leaves_field_and_reason_out() {
        assertThat(TallyJson.mapper().writeValueAsString(ApiError.of(ApiException.notFound("ledger", "org-1"))))
                .isEqualTo("{\"error\":{\"status\":404,\"code\":\"not_found\",\"message\":\"ledger org-1 not found\"}}");
    }

    @Test
    void a_missing_field_is_named_with_is_required() {
        ApiException e = ApiException.missing("org_id");

        assertThat(e.code()).isEqualTo("missing_field");
        assertThat(e.field()).isEqualTo("org_id");
        assertThat(e.reason()).isEqualTo("is required");
    }

    @Test
    void unavailable_keeps_its_code_for_clients_to_retry_on() {
        ApiException e = ApiException.unavailable("loading", "retry shortly");

        assertThat(e.status().value()).isEqualTo(503);
        assertThat(e.code()).isEqualTo("loading");
    }
}

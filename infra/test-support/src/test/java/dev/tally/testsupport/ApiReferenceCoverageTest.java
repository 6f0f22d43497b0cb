package dev.tally.testsupport;

import dev.tally.testsupport.apireference.ApiReferenceCoverage;
import dev.tally.testsupport.attack.Route;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiReferenceCoverageTest {

    private static final JsonNode DOCUMENT = JsonMapper.builder().build().readTree("""
            {"openapi": "3.1.0", "paths": {
              "/orgs/{orgId}": {"get": {}, "patch": {}},
              "/channels": {"post": {}}
            }}""");

    @Test
    void a_served_route_the_document_leaves_out_is_named() {
        Set<Route> served = Set.of(Route.of("GET /orgs/{orgId}"), Route.of("DELETE /orgs/{orgId}"),
                Route.of("GET /orgs/{orgId}/usage"));

        assertThat(ApiReferenceCoverage.missing(served, DOCUMENT))
                .containsExactly("DELETE /orgs/{orgId}", "GET /orgs/{orgId}/usage");
    }

    @Test
    void a_variable_with_a_regex_matches_the_document_path_without_it() {
        assertThat(ApiReferenceCoverage.missing(Set.of(Route.of("PATCH /orgs/{orgId:[a-z0-9-]+}")), DOCUMENT))
                .isEmpty();
    }

    @Test
    void the_actuator_static_resources_and_the_reference_itself_are_not_expected() {
        Set<Route> served = Set.of(Route.of("GET /actuator/health"), Route.of("ANY /**"), Route.of("ANY /webjars/**"),
                Route.of("GET /v3/api-docs"), Route.of("GET /swagger-ui.html"), Route.of("POST /channels"));

        assertThat(ApiReferenceCoverage.missing(served, DOCUMENT)).isEmpty();
    }

    @Test
    void a_route_without_a_method_needs_some_operation_on_its_path() {
        assertThat(ApiReferenceCoverage.missing(Set.of(Route.of("ANY /channels"), Route.of("ANY /alerts")), DOCUMENT))
                .containsExactly("ANY /alerts");
    }

    @Test
    void a_functional_route_counts_as_missing() {
        assertThat(ApiReferenceCoverage.missing(Set.of(new Route("ROUTE", "(GET && /things)")), DOCUMENT))
                .containsExactly("ROUTE (GET && /things)");
    }
}

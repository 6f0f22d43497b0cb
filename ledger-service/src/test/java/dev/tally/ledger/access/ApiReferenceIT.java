package dev.tally.ledger.access;

import dev.tally.ledger.support.LedgerServiceTestBase;
import dev.tally.testsupport.apireference.ApiReferenceCoverage;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document describes every route ledger-service serves (its handler mappings), and it and its UI open
 * without a key (docs/security.md).
 */
class ApiReferenceIT extends LedgerServiceTestBase {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Autowired
    ApplicationContext context;

    @Test
    void the_document_lists_every_route_the_service_serves() throws Exception {
        HttpResponse<String> document = get("/v3/api-docs");

        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
        JsonNode json = JsonMapper.builder().build().readTree(document.body());
        assertThat(json.path("openapi").asString()).startsWith("3.");
        assertThat(ApiReferenceCoverage.missing(RouteInventory.of(context), json))
                .as("routes the service serves that the API reference leaves out").isEmpty();
    }

    @Test
    void the_ui_opens_without_a_key() throws Exception {
        HttpResponse<String> ui = get("/swagger-ui.html");

        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

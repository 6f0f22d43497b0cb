package dev.tally.analytics.support;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/** HTTP calls as an administrator makes them, with a bearer admin key. */
public record Api(WebTestClient client, String key) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Response get(String path) {
        var spec = client.get().uri(path);
        if (key != null) {
            spec = spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
        var result = spec.exchange().expectBody(byte[].class).returnResult();
        return new Response(result.getStatus().value(), result.getResponseBody() == null ? ""
                : new String(result.getResponseBody(), StandardCharsets.UTF_8), result.getResponseHeaders());
    }

    public Response post(String path) {
        var spec = client.post().uri(path);
        if (key != null) {
            spec = spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
        var result = spec.exchange().expectBody(byte[].class).returnResult();
        return new Response(result.getStatus().value(), result.getResponseBody() == null ? ""
                : new String(result.getResponseBody(), StandardCharsets.UTF_8), result.getResponseHeaders());
    }

    /** GET expecting 200, as JSON. */
    public JsonNode json(String path) {
        Response response = get(path);
        if (response.status() != HttpStatus.OK.value()) {
            throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    public record Response(int status, String body, HttpHeaders headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }
}

package dev.tally.governance.support;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** An HTTP caller holding one bearer key. Bodies are maps (written as JSON) or raw JSON strings. */
public final class Admin {

    private final WebTestClient http;
    private final String key;

    Admin(WebTestClient http, String key) {
        this.http = http;
        this.key = key;
    }

    public WebTestClient.ResponseSpec post(String path, Object body) {
        return send(http.post().uri(path), body);
    }

    public WebTestClient.ResponseSpec put(String path, Object body) {
        return send(http.put().uri(path), body);
    }

    public WebTestClient.ResponseSpec patch(String path, Object body) {
        return send(http.patch().uri(path), body);
    }

    public WebTestClient.ResponseSpec get(String path) {
        return authorize(http.get().uri(path)).exchange();
    }

    public WebTestClient.ResponseSpec delete(String path) {
        return authorize(http.delete().uri(path)).exchange();
    }

    /** POST expecting 201, returning the body. */
    public JsonNode create(String path, Object body) {
        return json(post(path, body), HttpStatus.CREATED);
    }

    /** GET expecting 200, returning the body. */
    public JsonNode read(String path) {
        return json(get(path), HttpStatus.OK);
    }

    public static JsonNode json(WebTestClient.ResponseSpec response, HttpStatus status) {
        return response.expectStatus().isEqualTo(status).expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec send(WebTestClient.RequestBodySpec request, Object body) {
        WebTestClient.RequestHeadersSpec<?> spec = body == null
                ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return authorize(spec).exchange();
    }

    private <S extends WebTestClient.RequestHeadersSpec<?>> S authorize(S spec) {
        if (key != null) {
            spec.header("Authorization", "Bearer " + key);
        }
        return spec;
    }
}

package dev.tally.notification.support;

import dev.tally.events.json.TallyJson;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls notification-service over HTTP with one admin key, as an administrator's script would. */
public record Api(WebTestClient client, String key) {

    public EntityExchangeResult<byte[]> call(String method, String path, Object body) {
        var spec = client.method(HttpMethod.valueOf(method)).uri(path);
        if (key != null) {
            spec = spec.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        }
        return spec.exchange().expectBody().returnResult();
    }

    public int status(String method, String path, Object body) {
        return call(method, path, body).getStatus().value();
    }

    public JsonNode json(String method, String path, Object body, HttpStatus expected) {
        EntityExchangeResult<byte[]> result = call(method, path, body);
        byte[] bytes = result.getResponseBody();
        String text = bytes == null ? "" : new String(bytes);
        assertThat(result.getStatus().value()).as("%s %s answered %s", method, path, text).isEqualTo(expected.value());
        return bytes == null || bytes.length == 0 ? TallyJson.mapper().nullNode() : TallyJson.mapper().readTree(bytes);
    }

    public JsonNode get(String path) {
        return json("GET", path, null, HttpStatus.OK);
    }
}

package dev.tally.e2e.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** governance-service's admin API over HTTP, with one key, as an administrator or a user would call it. */
public final class Governance {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String key;

    public Governance(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    public Governance as(String otherKey) {
        return new Governance(baseUrl, otherKey);
    }

    public JsonNode post(String path, Map<String, ?> body) {
        return send("POST", path, body, 200, 201);
    }

    public JsonNode put(String path, Map<String, ?> body) {
        return send("PUT", path, body, 200);
    }

    public JsonNode patch(String path, Map<String, ?> body) {
        return send("PATCH", path, body, 200);
    }

    public JsonNode get(String path) {
        return send("GET", path, null, 200);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null, 200, 204);
    }

    private JsonNode send(String method, String path, Map<String, ?> body, int... expected) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
            }
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.tally.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Just enough JSON over HTTP with a bearer key to drive governance's admin API and probe the gateway. */
final class HttpJson {

    record Response(int status, JsonNode body, String text) {

        boolean ok() {
            return status / 100 == 2;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.shared();

    private final String baseUrl;
    private final String key;

    HttpJson(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    Response post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.missingNode() : readOrMissing(response.body());
            return new Response(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new StackException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static JsonNode readOrMissing(String text) {
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            return JSON.missingNode();
        }
    }
}

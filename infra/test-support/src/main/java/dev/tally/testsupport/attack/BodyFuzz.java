package dev.tally.testsupport.attack;

import net.jqwik.api.Arbitrary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends an admin route the bodies of {@link MalformedBodies} and collects what went wrong: a status that is not 4xx
 * (a 5xx, or a 2xx for a body that should have been refused), an answer that takes longer than the timeout, an error
 * body that does not name the field, or a change to what {@code readBack} reads.
 */
public final class BodyFuzz {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String baseUrl;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public BodyFuzz(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /**
     * @param readBack what the route would change, read before and after every body (e.g. the resource, or the list a
     *                 POST adds to): it must read the same
     */
    public List<String> run(String method, String path, Arbitrary<MalformedBodies.Case> cases, int tries,
            Supplier<String> readBack) {
        List<String> findings = new ArrayList<>();
        String before = readBack.get();
        cases.sampleStream().limit(tries).forEach(c -> {
            String route = method + " " + path + " with " + c;
            Answer answer = send(method, path, c.body());
            if (answer.status() < 400 || answer.status() >= 500) {
                findings.add(route + ": expected a 4xx, got " + answer.status() + ": " + answer.brief());
                return;
            }
            JsonNode error = answer.json().path("error");
            String field = error.path("field").asString("");
            String message = error.path("message").asString("");
            if (!field.startsWith(c.field()) && !message.contains(c.field())) {
                findings.add(route + ": " + answer.status() + " does not name " + c.field() + ": " + answer.brief());
            }
            String after = readBack.get();
            if (!after.equals(before)) {
                findings.add(route + ": " + answer.status() + " but what it would change changed: " + before
                        + " -> " + after);
            }
        });
        return findings;
    }

    private Answer send(String method, String path, Map<String, Object> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (HttpTimeoutException e) {
            return new Answer(-1, "no answer within " + TIMEOUT);
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return JSON.missingNode();
            }
        }

        String brief() {
            return body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
    }
}

package dev.tally.ledger.audit.cli;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.audit.AuditController;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** ledger-service's HTTP API as an operator calls it, with an admin key ({@code tadm_…}). */
final class LedgerApi {

    static final int PAGE = 1000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String adminKey;

    LedgerApi(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.adminKey = adminKey;
    }

    /** One page of {@code GET /ledgers/{id}/events}: the lines, and where the next page starts (null at the end). */
    record EventPage(List<JsonNode> events, Long nextAfter) {
    }

    EventPage events(String ledgerId, long after) {
        String path = "/ledgers/" + encode(ledgerId) + "/events?limit=" + PAGE + (after >= 0 ? "&after=" + after : "");
        HttpResponse<String> response = get(path);
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                events.add(TallyJson.mapper().readTree(line));
            }
        }
        String next = response.headers().firstValue(AuditController.NEXT_AFTER).orElse(null);
        return new EventPage(events, next == null ? null : Long.parseLong(next));
    }

    record IdPage(List<String> ids, String nextAfter) {
    }

    /** One page of {@code GET /ledgers}: every ledger id, for a platform admin key. */
    IdPage ledgers(String after) {
        String path = "/ledgers?limit=" + PAGE + (after == null ? "" : "&after=" + encode(after));
        HttpResponse<String> response = get(path);
        List<String> ids = new ArrayList<>();
        TallyJson.mapper().readTree(response.body()).path("ledgers").forEach(id -> ids.add(id.asString()));
        return new IdPage(ids, response.headers().firstValue(AuditController.NEXT_AFTER).orElse(null));
    }

    /** {@code POST /ledgers/{id}/verify}: the event store's chain and replay against the projection. */
    JsonNode verify(String ledgerId) {
        String path = "/ledgers/" + encode(ledgerId) + "/verify";
        return TallyJson.mapper().readTree(send(path, HttpRequest.newBuilder(URI.create(baseUrl + path))
                .POST(HttpRequest.BodyPublishers.noBody())).body());
    }

    private HttpResponse<String> get(String path) {
        return send(path, HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private HttpResponse<String> send(String path, HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + adminKey)
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ApiFailure(request.method() + " " + path + " answered " + response.statusCode() + ": "
                        + errorMessage(response.body()));
            }
            return response;
        } catch (IOException e) {
            throw new ApiFailure("cannot reach ledger-service at " + baseUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure("interrupted");
        }
    }

    private static String errorMessage(String body) {
        try {
            JsonNode message = TallyJson.mapper().readTree(body).path("error").path("message");
            return message.isMissingNode() ? body : message.asString();
        } catch (RuntimeException e) {
            return body;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The API refused or could not be reached: the reason, exit status 1. */
    static final class ApiFailure extends RuntimeException {
        ApiFailure(String message) {
            super(message);
        }
    }
}

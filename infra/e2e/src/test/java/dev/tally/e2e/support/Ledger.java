package dev.tally.e2e.support;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ledger-service's read and audit API: {@code GET /ledgers/{id}}, its events, and {@code POST …/verify}, as the
 * platform admin (the API answers admin keys only).
 */
public final class Ledger {

    /** The largest page ledger-service serves by default. */
    private static final int PAGE = 10000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String baseUrl;
    private final String adminKey;

    Ledger(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
    }

    /** Balances, open reservations and budget windows, as the projection has them. */
    public JsonNode view(String ledgerId) {
        return Governance.JSON.readTree(send("GET", "/ledgers/" + ledgerId));
    }

    public JsonNode openReservations(String ledgerId) {
        return view(ledgerId).path("reservations");
    }

    public JsonNode verify(String ledgerId) {
        return Governance.JSON.readTree(send("POST", "/ledgers/" + ledgerId + "/verify"));
    }

    /** Every event, oldest first: page after page, as long as a page names the next one. */
    public List<JsonNode> events(String ledgerId) {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        do {
            HttpResponse<String> page = exchange("GET", "/ledgers/" + ledgerId + "/events?limit=" + PAGE
                    + (after == null ? "" : "&after=" + after));
            for (String line : page.body().split("\n")) {
                if (!line.isBlank()) {
                    events.add(Governance.JSON.readTree(line));
                }
            }
            after = page.headers().firstValue("Tally-Next-After").orElse(null);
        } while (after != null);
        return events;
    }

    /**
     * The gateway's request id → credits the ledger charged for it: from UsageRecorded events (a reservation of its
     * own, whose id is the request id) and LeaseCharged events (a request carved out of a lease, named by request_id).
     */
    public Map<String, Long> charges(String ledgerId) {
        Map<String, Long> charges = new HashMap<>();
        for (JsonNode event : events(ledgerId)) {
            String type = event.path("type").asString();
            JsonNode data = event.path("data");
            if (type.endsWith(".UsageRecorded.v1")) {
                charges.merge(data.path("reservation_id").asString(), data.path("charged_credits").asLong(),
                        Long::sum);
            } else if (type.endsWith(".LeaseCharged.v1")) {
                charges.merge(data.path("request_id").asString(), data.path("charged_credits").asLong(), Long::sum);
            }
        }
        return charges;
    }

    private String send(String method, String path) {
        return exchange(method, path).body();
    }

    private HttpResponse<String> exchange(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

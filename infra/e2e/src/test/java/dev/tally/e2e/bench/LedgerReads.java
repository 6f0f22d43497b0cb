package dev.tally.e2e.bench;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the exactness checks read over HTTP: the ledger's projection ({@code GET /ledgers/{id}}) and its replay
 * ({@code POST /ledgers/{id}/verify}), and the price of the benchmark's model from governance ({@code GET /pricing}).
 */
final class LedgerReads {

    /** Prices are exact decimals: read them as such, never through a double. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String ledgerUrl;
    private final String governanceUrl;
    private final String adminKey;

    /** @param adminKey a platform admin key: ledger-service answers admin keys only */
    LedgerReads(String ledgerUrl, String governanceUrl, String adminKey) {
        this.ledgerUrl = ledgerUrl;
        this.governanceUrl = governanceUrl;
        this.adminKey = adminKey;
    }

    /** Balances, open reservations and budget windows, as the projection has them. */
    Projection projection(String ledgerId) {
        JsonNode view = JSON.readTree(send("GET", ledgerUrl + "/ledgers/" + ledgerId, Duration.ofSeconds(30)));
        long balance = 0;
        long reserved = 0;
        for (JsonNode account : view.path("accounts")) {
            balance += account.path("balance").asLong();
            reserved += account.path("reserved").asLong();
        }
        long budgetsCharged = 0;
        for (JsonNode budget : view.path("budgets")) {
            budgetsCharged += budget.path("charged_credits").asLong();
        }
        return new Projection(balance, reserved, view.path("reservations").size(), budgetsCharged,
                view.path("events_applied").asLong());
    }

    /** The ledger replayed from its first event and compared with the projection (can take seconds on a long one). */
    JsonNode verify(String ledgerId) {
        return JSON.readTree(send("POST", ledgerUrl + "/ledgers/" + ledgerId + "/verify", Duration.ofSeconds(300)));
    }

    /**
     * The credits one answer with {@code usage} costs an organisation, by the formula of docs/governance.md:
     * {@code ceil((prompt × input price + completion × output price) / 1000 × credits_per_usd)}.
     */
    long creditsPerAnswer(String provider, String model, int promptTokens, int completionTokens, long creditsPerUsd) {
        for (JsonNode price : JSON.readTree(send("GET", governanceUrl + "/pricing", Duration.ofSeconds(30)))) {
            if (provider.equals(price.path("provider").asString()) && model.equals(price.path("model").asString())) {
                BigDecimal usdTimesThousand = price.path("input_usd_per_1k").decimalValue()
                        .multiply(BigDecimal.valueOf(promptTokens))
                        .add(price.path("output_usd_per_1k").decimalValue()
                                .multiply(BigDecimal.valueOf(completionTokens)));
                return usdTimesThousand.multiply(BigDecimal.valueOf(creditsPerUsd))
                        .divide(BigDecimal.valueOf(1000), 0, RoundingMode.CEILING).longValueExact();
            }
        }
        throw new IllegalStateException("governance has no price for " + provider + "/" + model);
    }

    private String send(String method, String url, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + adminKey)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param balance         the accounts' balances summed: the purchase minus every charge
     * @param reserved        credit held by open reservations (leases included)
     * @param openReservations how many reservations are open
     * @param budgetsCharged  charged credits of every budget's latest window, summed
     * @param eventsApplied   events the projection has applied
     */
    record Projection(long balance, long reserved, int openReservations, long budgetsCharged, long eventsApplied) {
    }
}

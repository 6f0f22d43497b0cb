package dev.tally.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Single requests to a gateway (Tally's or Portkey) outside the load: is a key known yet, does a request pass. */
final class GatewayCalls {

    // HTTP/1.1: the default would offer an h2c upgrade, whose Connection header Portkey forwards upstream.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayCalls() {
    }

    /**
     * Waits until the gateway accepts every key on {@code GET /v1/models}: new keys reach it through governance's
     * state topic, a thousand of them within seconds.
     */
    static void awaitKeysAccepted(String gatewayUrl, List<String> keys, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (String key : keys) {
            String last = "no answer";
            while (true) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/models"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key).GET().build();
                try {
                    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        break;
                    }
                    last = answer.statusCode() + " " + answer.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway at " + gatewayUrl + " does not accept key …"
                            + key.substring(key.length() - 6) + " within " + within.toSeconds() + " s; last: " + last);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The keys the gateway still refuses on {@code GET /v1/models} once {@code within} has passed. */
    static List<String> refusedKeys(String gatewayUrl, List<String> keys, Duration within)
            throws InterruptedException {
        try {
            awaitKeysAccepted(gatewayUrl, keys, within);
            return List.of();
        } catch (IllegalStateException timedOut) {
            List<String> refused = new java.util.ArrayList<>();
            for (String key : keys) {
                try {
                    awaitKeysAccepted(gatewayUrl, List.of(key), Duration.ZERO);
                } catch (IllegalStateException no) {
                    refused.add(key);
                }
            }
            return refused;
        }
    }

    /** Sends the benchmark's request until it is answered 200; returns the answer's body. */
    static String awaitAnswer(String url, Map<String, String> headers) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatRequest.BODY));
        headers.forEach(request::header);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return answer.body();
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " never answered 200; last: " + last);
    }
}

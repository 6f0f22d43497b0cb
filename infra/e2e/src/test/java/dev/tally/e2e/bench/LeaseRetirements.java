package dev.tally.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's leases retired by reason ({@code tally_gateway_leases_retired_total} on its Prometheus endpoint):
 * read before and after a scenario, the difference says whether leases lived as long as they were sized to, or were
 * spent, idled or reclaimed early.
 */
final class LeaseRetirements {

    private static final Pattern LINE =
            Pattern.compile("(?m)^tally_gateway_leases_retired_total\\{[^}]*reason=\"([a-z]+)\"[^}]*} ([0-9.E+]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LeaseRetirements() {
    }

    static Map<String, Long> read(String gatewayUrl, String adminKey) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(10)).build();
        String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> retired = new TreeMap<>();
        Matcher matcher = LINE.matcher(body);
        while (matcher.find()) {
            retired.put(matcher.group(1), (long) Double.parseDouble(matcher.group(2)));
        }
        return retired;
    }

    /** "idle 12, replaced 3, …" of what was retired between the two readings. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder text = new StringBuilder();
        after.forEach((reason, count) -> {
            long delta = count - before.getOrDefault(reason, 0L);
            text.append(text.isEmpty() ? "" : ", ").append(reason).append(' ').append(delta);
        });
        return text.isEmpty() ? "none reported" : text.toString();
    }
}

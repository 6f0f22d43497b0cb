package dev.tally.gateway;

import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two gateway replicas racing one budget: the ledger decides, so nobody overspends. */
class GatewayConcurrencyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void five_hundred_concurrent_requests_on_two_replicas_never_exceed_a_budget_that_fits_one_hundred() {
        GatewayStack stack = GatewayStack.get();
        TestAgent agent = TestAgent.create(stack, "Race", 10_000);
        agent.owner().post("/budgets", Map.of("period", "TOTAL", "limit_credits", 100, "agent_id", agent.agentId()));
        GatewayIT.awaitKnownOn(stack, agent.key());
        long before = agent.poolBalance();

        // One org's commands are ordered on one ledger partition; the stack's 60 s reservation timeout leaves room
        // for the queue of the replicas' lease reservations and exact ones near the end on a busy 2-core machine.
        // Each request reserves and costs exactly one credit: a short prompt and at most 16 tokens of mock answer.
        byte[] body = JSON.writeValueAsBytes(Map.of("model", "mock-model", "max_tokens", 16,
                "messages", List.of(Map.of("role", "user", "content", "Hi"))));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String gateway = (i % 2 == 0 ? stack.gatewayA : stack.gatewayB).baseUrl();
            responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + agent.key())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

        long succeeded = 0;
        long refused = 0;
        long charged = 0;
        List<String> unexpected = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> future : responses) {
            HttpResponse<String> response = future.join();
            if (response.statusCode() == 200) {
                succeeded++;
                charged += JSON.readTree(response.body()).path("x_platform").path("credits_charged").asLong();
            } else if (response.statusCode() == 402) {
                refused++;
                assertThat(response.body()).contains("budget_exceeded");
            } else {
                unexpected.add(response.statusCode() + " " + response.body());
            }
        }
        System.out.printf("gateway race: %d served, %d refused, budget 100%n", succeeded, refused);
        assertThat(unexpected).as("only 200 or 402").isEmpty();
        // Never more than the budget, whatever the replicas' leases. Fewer only by what one replica's lease still
        // held when the other's last requests were refused (a lease, at most a twentieth of the budget, and
        // the rest of the one it replaced, each).
        assertThat(succeeded).as("requests that got through").isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(80);
        assertThat(refused).isEqualTo(500 - succeeded);
        assertThat(charged).isEqualTo(succeeded);
        long expected = before - charged;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(agent.poolBalance()).as("the ledger holds exactly the sum of the charges").isEqualTo(expected);
            JsonNode ledger = JSON.readTree(HttpClient.newHttpClient().send(
                    stack.ledgerRequest("/ledgers/" + agent.orgId()).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(ledger.path("reservations")).as("every reservation was settled").isEmpty();
        });
    }
}

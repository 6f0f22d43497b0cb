package dev.tally.gateway;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Prometheus endpoint an operator scrapes: behind a platform admin key like every actuator endpoint but health,
 * and carrying the gateway's request, latency, credit, lease and ledger round-trip metrics, and its consumers' lag.
 */
class MetricsIT {

    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        agent = TestAgent.create(stack, "Metrics", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
    }

    @Test
    void a_request_shows_in_the_prometheus_metrics_by_organisation_model_and_status() {
        GatewayIT.client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock-model").addUserMessage("Count me").maxCompletionTokens(64).build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = scrape();
            assertThat(metrics).containsPattern("tally_gateway_requests_seconds_count\\{[^}]*endpoint=\"chat"
                    + "\\.completions\"[^}]*model=\"mock-model\"[^}]*org=\"" + agent.orgId() + "\"[^}]*outcome=\"SUCCESS\""
                    + "[^}]*status=\"200\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_gateway_credits_charged_total\\{org=\"" + agent.orgId()
                    + "\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_gateway_credits_held_total\\{org=\"" + agent.orgId()
                    + "\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_gateway_upstream_latency_seconds_count\\{provider=\"mock\"");
            assertThat(metrics).contains("tally_gateway_added_latency_seconds_count{endpoint=\"chat.completions\"");
            assertThat(metrics).containsPattern("tally_gateway_ledger_round_trip_seconds_count\\{command="
                    + "\"ReserveCreditCommand\",result=\"replied\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("(?m)^tally_gateway_leases_open(\\{[^}]*})? ");
            assertThat(metrics).containsPattern("(?m)^tally_gateway_leases_retired_total\\{[^}]*reason=\"idle\"");
            // The gateway reads the governance state topic: its consumer's lag is there.
            assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag_max");
        });
    }

    @Test
    void the_prometheus_endpoint_needs_a_platform_admin_key() throws Exception {
        String url = stack.gatewayA.baseUrl() + "/actuator/prometheus";
        assertThat(RawHttp.send("GET", url, null, null, null).statusCode()).isEqualTo(401);
        assertThat(RawHttp.send("GET", url, agent.key(), null, null).statusCode()).isEqualTo(401);
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = RawHttp.send("GET", stack.gatewayA.baseUrl() + "/actuator/prometheus",
                GatewayStack.PLATFORM_KEY, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}

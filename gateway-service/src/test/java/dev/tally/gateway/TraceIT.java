package dev.tally.gateway;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.SpanCollector.ReceivedSpan;
import dev.tally.gateway.support.TestAgent;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces across the real processes and Kafka: gateway B and the ledger run with tracing on and export over OTLP to
 * the test's collector; gateway A runs with tracing off, the default. The caller's {@code traceparent} starts each
 * trace, so its id is known before anything is exported.
 */
class TraceIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static GatewayStack stack;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
    }

    @Test
    void the_gateway_continues_the_callers_trace() {
        TestAgent agent = TestAgent.create(stack, "Traced", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        String traceId = randomHex(16);

        HttpResponse<String> answer = chat(stack.gatewayB.baseUrl(), agent.key(), traceId);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.spans.spans())
                .anySatisfy(span -> {
                    assertThat(span.traceId()).isEqualTo(traceId);
                    assertThat(span.service()).isEqualTo("gateway-service");
                    assertThat(span.name()).isEqualTo("http post /v1/chat/completions");
                }));
    }

    @Test
    void a_command_with_a_trace_is_decided_published_and_projected_in_that_trace_over_kafka() throws Exception {
        TestAgent agent = TestAgent.create(stack, "Traced command", 100_000);
        String traceId = randomHex(16);
        String traceparent = "00-" + traceId + "-" + randomHex(8) + "-01";
        LedgerClientSettings settings = new LedgerClientSettings(stack.infra.kafkaBootstrapServers(), "tally/trace-it",
                Duration.ofSeconds(60));
        // The header the gateway's ledger client writes with tracing on, here with the test's own trace.
        try (LedgerClient ledger = new LedgerClient(settings,
                headers -> headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8)))) {
            LedgerReply reply = ledger.send(new PurchaseCreditsCommand(UUID.randomUUID().toString(), agent.orgId(),
                    agent.orgId(), 10, "trace-it", "trace " + traceId)).get(60, TimeUnit.SECONDS);
            assertThat(reply).isInstanceOf(CommandAcceptedReply.class);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ReceivedSpan> trace = stack.spans.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
            assertThat(trace).as("spans of trace %s", traceId)
                    .anySatisfy(span -> assertLedgerSpan(span, "ledger PurchaseCreditsCommand", agent.orgId()))
                    .anySatisfy(span -> assertLedgerSpan(span, "publish CreditsPurchasedEvent", agent.orgId()))
                    .anySatisfy(span -> assertLedgerSpan(span, "project balances CreditsPurchasedEvent",
                            agent.orgId()));
        });
    }

    @Test
    void a_gateway_with_tracing_off_passes_no_trace_on_and_exports_nothing() {
        TestAgent agent = TestAgent.create(stack, "Untraced", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        String traceId = randomHex(16);

        HttpResponse<String> answer = chat(stack.gatewayA.baseUrl(), agent.key(), traceId);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        // The ledger traces every command it gets; the one gateway A sent came without a trace, so it began its own.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.spans.spans())
                .anySatisfy(span -> assertLedgerSpan(span, "ledger ReserveCreditCommand", agent.orgId())));
        assertThat(stack.spans.spans()).noneMatch(span -> span.traceId().equals(traceId));
    }

    private static void assertLedgerSpan(ReceivedSpan span, String name, String orgId) {
        assertThat(span.service()).isEqualTo("ledger-service");
        assertThat(span.name()).isEqualTo(name);
        assertThat(span.attributes()).containsEntry("tally.ledger.id", orgId);
    }

    private static HttpResponse<String> chat(String gateway, String key, String traceId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "mock-model", "max_tokens": 32,
                         "messages": [{"role": "user", "content": "Trace me"}]}"""))
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

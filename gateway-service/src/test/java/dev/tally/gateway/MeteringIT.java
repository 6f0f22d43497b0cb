package dev.tally.gateway;

import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the provider billed is charged however a request ends: the client leaving before a non-streamed answer or in
 * the middle of a stream, or the request running past the gateway's maximum duration. Read back from the ledger and
 * from the request records.
 */
class MeteringIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ANSWER = """
            {"id":"chatcmpl-slow","object":"chat.completion","created":1,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Late but billed."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":40,"completion_tokens":300,"total_tokens":340}}""";

    private static GatewayStack stack;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
    }

    /** Fails before the fix: the client's leaving cancelled the call and gave the whole hold back. */
    @Test
    void a_non_streamed_call_whose_client_left_runs_to_its_end_and_is_charged_what_was_billed() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("billed-anyway"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ANSWER)
                        .withFixedDelay(2_000)));
        TestAgent own = TestAgent.create(stack, "Leaves early", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        byte[] body = JSON.writeValueAsBytes(Map.of("model", "gpt-4o-mini", "max_tokens", 500,
                "messages", List.of(Map.of("role", "user", "content", "billed-anyway"))));
        long before = own.poolBalance();

        // The same request, waited for: what the provider's usage costs.
        HttpResponse<String> waited = send(own.key(), body);
        assertThat(waited.statusCode()).isEqualTo(200);
        long price = JSON.readTree(waited.body()).path("x_platform").path("credits_charged").asLong();
        assertThat(price).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> own.poolBalance() == before - price);

        sendAndLeave(own.key(), body, "billed-anyway", 2, 0);

        List<JsonNode> records = records(own.orgId(), 2);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(own.poolBalance()).as("charged like the answer it did not wait for; records " + records)
                    .isEqualTo(before - 2 * price);
            assertThat(ProviderIT.openReservations(own.orgId())).isZero();
        });
        assertThat(records).extracting(r -> r.path("http_status").asInt() + " "
                        + r.path("error_code").asString(""))
                .containsExactlyInAnyOrder("200 ", "499 client_closed");
    }

    /** Fails before the fix: a stream whose client left was recorded as a 200 without a reason. */
    @Test
    void a_stream_whose_client_left_is_recorded_as_closed_by_the_client() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("leaves-the-stream"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(words(200))
                        .withChunkedDribbleDelay(200, 20_000)));
        TestAgent own = TestAgent.create(stack, "Leaves the stream", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();
        byte[] body = JSON.writeValueAsBytes(Map.of("model", "gpt-4o-mini", "stream", true, "max_tokens", 4000,
                "messages", List.of(Map.of("role", "user", "content", "leaves-the-stream"))));

        sendAndLeave(own.key(), body, "leaves-the-stream", 1, 5);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(ProviderIT.openReservations(own.orgId())).isZero();
            assertThat(own.poolBalance()).isLessThan(before);
        });
        JsonNode record = records(own.orgId(), 1).get(0);
        assertThat(record.path("http_status").asInt()).isEqualTo(499);
        assertThat(record.path("error_code").asString()).isEqualTo("client_closed");
        assertThat(record.path("outcome").asString()).isEqualTo("CLIENT_DISCONNECTED");
        assertThat(record.path("completion_tokens").asLong()).as("what was generated before the client left")
                .isPositive();
    }

    /** Fails before the fix: streams had no time limit at all. */
    @Test
    void a_stream_past_the_maximum_duration_is_ended_and_charged_what_it_generated() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("never-ending"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(words(400))
                        .withChunkedDribbleDelay(400, 40_000)));
        TestAgent own = TestAgent.create(stack, "Long stream", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();
        byte[] body = JSON.writeValueAsBytes(Map.of("model", "gpt-4o-mini", "stream", true, "max_tokens", 4000,
                "messages", List.of(Map.of("role", "user", "content", "never-ending"))));

        long started = System.nanoTime();
        HttpResponse<String> response = send(own.key(), body);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(GatewayStack.MAX_REQUEST_DURATION.plusSeconds(10));
        assertThat(response.body()).contains("request_timeout").endsWith("data:[DONE]\n\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ProviderIT.openReservations(own.orgId())).isZero();
            assertThat(own.poolBalance()).isLessThan(before);
        });
        JsonNode record = records(own.orgId(), 1).get(0);
        assertThat(record.path("http_status").asInt()).isEqualTo(504);
        assertThat(record.path("error_code").asString()).isEqualTo("request_timeout");
        assertThat(record.path("completion_tokens").asLong()).isPositive();
    }

    /** Fails before the fix: the provider's own 120 s timeout was the only limit, and nothing was charged. */
    @Test
    void a_call_past_the_maximum_duration_answers_504_and_is_charged_its_hold() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("too-slow-to-wait"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ANSWER)
                        .withFixedDelay((int) GatewayStack.MAX_REQUEST_DURATION.plusSeconds(5).toMillis())));
        TestAgent own = TestAgent.create(stack, "Too slow", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();
        byte[] body = JSON.writeValueAsBytes(Map.of("model", "gpt-4o-mini", "max_tokens", 500,
                "messages", List.of(Map.of("role", "user", "content", "too-slow-to-wait"))));

        HttpResponse<String> response = send(own.key(), body);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asString()).isEqualTo("request_timeout");
        JsonNode record = records(own.orgId(), 1).get(0);
        long held = record.path("reserved_credits").asLong();
        assertThat(held).isPositive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ProviderIT.openReservations(own.orgId())).isZero();
            assertThat(own.poolBalance()).as("the most the provider could bill").isEqualTo(before - held);
        });
    }

    private static HttpResponse<String> send(String key, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.gatewayA.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the request over a plain socket and closes it once the upstream received the {@code upstreamCount}th
     * request containing {@code marker} and the client read {@code dataLines} SSE data lines: a client that leaves
     * once the provider works on it.
     */
    private static void sendAndLeave(String key, byte[] body, String marker, int upstreamCount, int dataLines)
            throws Exception {
        URI uri = URI.create(stack.gatewayA.baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                    + key + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> stack.upstream.findAll(postRequestedFor(
                    urlEqualTo("/openai/v1/chat/completions")).withRequestBody(containing(marker))).size()
                    >= upstreamCount);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (int read = 0; read < dataLines; ) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("data:")) {
                    read++;
                }
            }
        }
    }

    private static String words(int count) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            events.append("data: {\"id\":\"c3\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},"
                    + "\"finish_reason\":null}]}\n\n");
        }
        return events.toString();
    }

    /** Waits for {@code count} request records of the organisation on tally.gateway.requests, and returns them. */
    private static List<JsonNode> records(String orgId, int count) {
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra.kafkaBootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("tally.gateway.requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (orgId.equals(record.key())) {
                        values.add(JSON.readTree(record.value()));
                    }
                }
                return values.size() >= count;
            });
        }
        return values;
    }
}

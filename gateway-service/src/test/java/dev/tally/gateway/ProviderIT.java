package dev.tally.gateway;

import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Upstream wire formats (OpenAI and Anthropic, streaming too), provider failures, fallbacks, disconnects. */
class ProviderIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        agent = TestAgent.create(stack, "Providers", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
    }

    @Test
    void an_openai_stream_is_relayed_chunk_by_chunk_and_charged_from_its_usage_chunk() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse(
                        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},"
                                + "\"finish_reason\":null}]}",
                        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo!\"},\"finish_reason\":\"stop\"}]}",
                        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                                + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
                                + "\"total_tokens\":11}}",
                        "[DONE]"))));

        StreamResult result = stream("gpt-4o-mini");

        assertThat(result.text()).isEqualTo("Hello!");
        assertThat(result.promptTokens()).isEqualTo(9);
        assertThat(result.completionTokens()).isEqualTo(2);
    }

    @Test
    void an_anthropic_stream_becomes_openai_chunks_with_usage() {
        stack.upstream.stubFor(post(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-3-haiku-20240307","usage":{"input_tokens":14,"output_tokens":1}}}

                        event: content_block_start
                        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                        event: ping
                        data: {"type":"ping"}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Bon"}}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"jour"}}

                        event: content_block_stop
                        data: {"type":"content_block_stop","index":0}

                        event: message_delta
                        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}

                        event: message_stop
                        data: {"type":"message_stop"}

                        """)));

        StreamResult result = stream("claude-3-haiku-20240307");

        assertThat(result.text()).isEqualTo("Bonjour");
        assertThat(result.promptTokens()).isEqualTo(14);
        assertThat(result.completionTokens()).isEqualTo(5);
        assertThat(result.finishReasons()).contains("stop");
    }

    @Test
    void a_failing_provider_is_retried_then_answered_with_502_and_nothing_is_charged() {
        stack.upstream.stubFor(post(urlEqualTo("/anthropic/v1/messages")).atPriority(1)
                .withRequestBody(containing("fail-please"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"overloaded\"}}")));
        TestAgent own = TestAgent.create(stack, "Failing", 1_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();

        assertThatThrownBy(() -> GatewayIT.client(own.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model("claude-3-haiku-20240307").addUserMessage("fail-please")
                        .maxCompletionTokens(20).build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("overloaded");
                });
        stack.upstream.verify(3, postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(containing("fail-please")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(own.poolBalance()).isEqualTo(before);
            assertThat(openReservations(own.orgId())).isZero();
        });
    }

    @Test
    void a_provider_that_keeps_failing_falls_back_to_the_next_in_its_chain() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("fallback-please"))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"down\"}}")));
        stack.upstream.stubFor(post(urlEqualTo("/backup/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-b","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"from backup"},
                         "finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""")));

        ChatCompletion completion = GatewayIT.client(agent.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("fallback-please")
                        .maxCompletionTokens(20).build());

        assertThat(completion.choices().get(0).message().content()).contains("from backup");
        assertThat(GatewayIT.xPlatform(completion._additionalProperties().get("x_platform")))
                .containsEntry("provider", "openai-backup");
        stack.upstream.verify(postRequestedFor(urlEqualTo("/backup/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-backup")));
    }

    @Test
    void a_client_that_leaves_mid_stream_is_charged_for_what_was_generated_and_the_hold_ends() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            events.append("data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},"
                    + "\"finish_reason\":null}]}\n\n");
        }
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("slow-stream"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(events.toString())
                        .withChunkedDribbleDelay(200, 20_000)));
        TestAgent own = TestAgent.create(stack, "Leaving", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();

        byte[] body = JSON.writeValueAsBytes(Map.of("model", "gpt-4o-mini", "stream", true, "max_tokens", 4000,
                "messages", List.of(Map.of("role", "user", "content", "slow-stream"))));
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.gatewayA.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + own.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int received = 0;
            String line;
            while (received < 5 && (line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    received++;
                }
            }
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(openReservations(own.orgId())).as("the reservation was settled, not left open").isZero();
            assertThat(own.poolBalance()).as("what was generated is charged").isLessThan(before);
        });
    }

    @Test
    void an_organisation_byok_key_replaces_the_platform_key() {
        TestAgent own = TestAgent.create(stack, "Byok", 1_000);
        own.owner().post("/orgs/" + own.orgId() + "/credentials", Map.of("provider", "openai",
                "api_key", "sk-org-own-key-1234", "label", "own key"));
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("byok-please"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-k","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""")));
        GatewayIT.awaitKnownOn(stack, own.key());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            GatewayIT.client(own.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini").addUserMessage("byok-please").maxCompletionTokens(5).build());
            stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/chat/completions"))
                    .withRequestBody(containing("byok-please"))
                    .withHeader("Authorization", equalTo("Bearer sk-org-own-key-1234")));
        });
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413() throws Exception {
        byte[] huge = JSON.writeValueAsBytes(Map.of("model", "mock-model", "messages",
                List.of(Map.of("role", "user", "content", "x".repeat(5 * 1024 * 1024)))));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.gatewayA.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + agent.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asString())
                .isEqualTo("request_too_large");
    }

    private record StreamResult(String text, long promptTokens, long completionTokens, List<String> finishReasons) {
    }

    private static StreamResult stream(String model) {
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        long[] usage = {-1, -1};
        try (StreamResponse<ChatCompletionChunk> stream = GatewayIT.client(agent.key()).chat().completions()
                .createStreaming(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello")
                        .maxCompletionTokens(50)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(text::append);
                    c.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                });
                chunk.usage().ifPresent(u -> {
                    usage[0] = u.promptTokens();
                    usage[1] = u.completionTokens();
                });
            });
        }
        return new StreamResult(text.toString(), usage[0], usage[1], finishReasons);
    }

    static long openReservations(String orgId) throws Exception {
        JsonNode ledger = JSON.readTree(HttpClient.newHttpClient().send(
                GatewayStack.get().ledgerRequest("/ledgers/" + orgId).build(), HttpResponse.BodyHandlers.ofString())
                .body());
        return ledger.path("reservations").size();
    }

    private static String sse(String... data) {
        StringBuilder body = new StringBuilder();
        for (String d : data) {
            body.append("data: ").append(d).append("\n\n");
        }
        return body.toString();
    }

}

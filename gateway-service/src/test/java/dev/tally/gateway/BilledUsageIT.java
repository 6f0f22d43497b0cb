package dev.tally.gateway;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The charge is what the provider billed: upstreams that answer with cache hits, cache writes and reasoning tokens
 * are charged each at its price, read back from the ledger; an answer without usage is charged what was generated.
 */
class BilledUsageIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OPENAI_MODEL = "gpt-billed-usage-it";
    private static final String ANTHROPIC_MODEL = "claude-billed-usage-it";
    private static final String NO_USAGE_MODEL = "gpt-no-usage-it";
    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        stack.platform().put("/pricing/openai/" + OPENAI_MODEL, Map.of(
                "input_usd_per_1k", new BigDecimal("0.01"), "output_usd_per_1k", new BigDecimal("0.02"),
                "cached_input_usd_per_1k", new BigDecimal("0.001"), "reasoning_usd_per_1k", new BigDecimal("0.05")));
        stack.platform().put("/pricing/anthropic/" + ANTHROPIC_MODEL, Map.of(
                "input_usd_per_1k", new BigDecimal("0.003"), "output_usd_per_1k", new BigDecimal("0.015"),
                "cached_input_usd_per_1k", new BigDecimal("0.0003"),
                "cache_write_usd_per_1k", new BigDecimal("0.00375")));
        // Input free and one credit per output token (100 credits per USD): the charge counts the completion.
        stack.platform().put("/pricing/openai/" + NO_USAGE_MODEL, Map.of(
                "input_usd_per_1k", 0, "output_usd_per_1k", 10));
        agent = TestAgent.create(stack, "Billed usage", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains(OPENAI_MODEL, ANTHROPIC_MODEL, NO_USAGE_MODEL));
    }

    /** prompt 200,000 of which 150,000 cached; completion 40,000 of which 30,000 reasoning. */
    private static final String OPENAI_USAGE = """
            {"prompt_tokens":200000,"completion_tokens":40000,"total_tokens":240000,
             "prompt_tokens_details":{"cached_tokens":150000},
             "completion_tokens_details":{"reasoning_tokens":30000}}""";
    /**
     * 50,000 × 0.01 + 150,000 × 0.001 + 10,000 × 0.02 + 30,000 × 0.05 = 2,350 thousandths of a dollar: 235 credits.
     * Priced as plain prompt and completion it would be 280.
     */
    private static final long OPENAI_CREDITS = 235;

    @Test
    void cached_and_reasoning_tokens_are_charged_at_their_own_prices() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(OPENAI_MODEL)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-billed","object":"chat.completion","created":1,"model":"%s",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Thought it through."},
                          "finish_reason":"stop"}],"usage":%s}""".formatted(OPENAI_MODEL, OPENAI_USAGE))));

        ChatCompletion completion = GatewayIT.client(agent.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model(OPENAI_MODEL).addUserMessage("Think hard")
                        .maxCompletionTokens(60_000).build());

        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(OPENAI_CREDITS);
        JsonNode charge = ledgerCharge((String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(OPENAI_CREDITS);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(200_000);
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(40_000);
    }

    @Test
    void a_streamed_answer_is_charged_its_usage_chunk_at_the_same_prices() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(OPENAI_MODEL)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(
                        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                                + OPENAI_MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                                + "\"content\":\"Done.\"},\"finish_reason\":\"stop\"}]}\n\n"
                                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                                + OPENAI_MODEL + "\",\"choices\":[],\"usage\":"
                                + OPENAI_USAGE.replace("\n", "") + "}\n\n"
                                + "data: [DONE]\n\n")));

        AtomicReference<Map<String, Object>> platform = new AtomicReference<>();
        try (StreamResponse<ChatCompletionChunk> stream = GatewayIT.client(agent.key()).chat().completions()
                .createStreaming(ChatCompletionCreateParams.builder().model(OPENAI_MODEL).addUserMessage("Think")
                        .maxCompletionTokens(60_000)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().filter(chunk -> chunk.usage().isPresent()).forEach(chunk -> platform.set(
                    GatewayIT.xPlatform(chunk._additionalProperties().get("x_platform"))));
        }

        assertThat(((Number) platform.get().get("credits_charged")).longValue()).isEqualTo(OPENAI_CREDITS);
        assertThat(ledgerCharge((String) platform.get().get("request_id")).path("charged_credits").asLong())
                .isEqualTo(OPENAI_CREDITS);
    }

    @Test
    void anthropic_cache_reads_and_writes_are_charged_at_their_own_prices() {
        stack.upstream.stubFor(post(urlEqualTo("/anthropic/v1/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(ANTHROPIC_MODEL)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"msg_billed","type":"message","role":"assistant","model":"%s",
                         "content":[{"type":"text","text":"Cached."}],"stop_reason":"end_turn",
                         "usage":{"input_tokens":1000,"cache_creation_input_tokens":20000,
                          "cache_read_input_tokens":100000,"output_tokens":2000}}""".formatted(ANTHROPIC_MODEL))));

        ChatCompletion completion = GatewayIT.client(agent.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model(ANTHROPIC_MODEL).addUserMessage("Read the book again")
                        .maxCompletionTokens(20_000).build());

        // 1,000 × 0.003 + 100,000 × 0.0003 + 20,000 × 0.00375 + 2,000 × 0.015 = 138 thousandths: 13.8 → 14 credits
        // (4 if the cache were ignored, 36 if it were priced as plain input)
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        JsonNode charge = ledgerCharge((String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(14);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(121_000);
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(2_000);
        assertThat(completion.usage()).get().satisfies(u -> assertThat(u.promptTokens()).isEqualTo(121_000));
    }

    @Test
    void an_answer_without_usage_is_charged_the_completion_tokens_it_delivered() {
        String content = "The capital of France is Paris, which is also its largest city.";
        String arguments = "{\"city\": \"Paris\"}";
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(NO_USAGE_MODEL)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(JSON.writeValueAsString(
                        Map.of("id", "chatcmpl-no-usage", "object", "chat.completion", "created", 1,
                                "model", NO_USAGE_MODEL, "choices", List.of(Map.of("index", 0, "finish_reason",
                                        "tool_calls", "message", message(content, arguments))))))));

        ChatCompletion completion = GatewayIT.client(agent.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model(NO_USAGE_MODEL).addUserMessage("Capital of France?")
                        .maxCompletionTokens(200).build());

        long generated = new Tokenizer().count(NO_USAGE_MODEL, content + "lookup" + arguments);
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        JsonNode charge = ledgerCharge((String) platform.get("request_id"));
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(generated);
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(generated).isPositive();
    }

    private static Map<String, Object> message(String content, String arguments) {
        Map<String, Object> message = new HashMap<>();
        message.put("role", "assistant");
        message.put("content", content);
        message.put("tool_calls", List.of(Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "lookup", "arguments", arguments))));
        return message;
    }

    /** The request's charge as the ledger stored it: its LeaseCharged, or the UsageRecorded of its own hold. */
    private static JsonNode ledgerCharge(String requestId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String events = HttpClient.newHttpClient().send(
                            stack.ledgerRequest("/ledgers/" + agent.orgId() + "/events").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : events.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                JsonNode data = event.path("data");
                String type = event.path("type").asString();
                if ((type.contains("LeaseCharged") && requestId.equals(data.path("request_id").asString()))
                        || (type.contains("UsageRecorded")
                                && requestId.equals(data.path("reservation_id").asString()))) {
                    found.set(data);
                }
            }
            assertThat(found.get()).as("the ledger's charge of request %s", requestId).isNotNull();
        });
        return found.get();
    }
}

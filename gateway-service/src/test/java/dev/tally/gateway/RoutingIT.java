package dev.tally.gateway;

import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tally.gateway.lease.LeaseSettings;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.LedgerReads;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
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

/**
 * Deployments, load balancing, cooldowns, per-deployment circuits and fallback chains across providers, as the
 * stack's routing settings set them up (GatewayStack#routing); upstreams are WireMock speaking OpenAI's and
 * Anthropic's wire formats. Every request goes to gateway A: balancing, cooldowns and circuits are per replica.
 */
class RoutingIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Cheap: the chain's first step. */
    private static final Map<String, Object> GPT_PRICE = Map.of("input_usd_per_1k", "0.001",
            "output_usd_per_1k", "0.002");
    /** Dear: the chain's second step, on another provider; $3 and $15 per 1k tokens. */
    private static final Map<String, Object> CLAUDE_PRICE = Map.of("input_usd_per_1k", "3",
            "output_usd_per_1k", "15");
    private static GatewayStack stack;
    private static LedgerReads ledger;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/lb-one/routed-lb", Map.of("input_usd_per_1k", "0.001",
                "output_usd_per_1k", "0.002"));
        stack.platform().put("/pricing/lb-one/routed-cool", Map.of("input_usd_per_1k", "0.001",
                "output_usd_per_1k", "0.002"));
        stack.platform().put("/pricing/breaker/breaker-down", GPT_PRICE);
        stack.platform().put("/pricing/breaker/breaker-up", GPT_PRICE);
        stack.platform().put("/pricing/chain-openai/routed-gpt", GPT_PRICE);
        stack.platform().put("/pricing/chain-anthropic/routed-claude", CLAUDE_PRICE);
        stack.platform().put("/pricing/chain-anthropic/routed-dear", CLAUDE_PRICE);
        for (String provider : List.of("lb-one", "lb-two", "breaker", "chain-openai")) {
            stack.upstream.stubFor(post(urlEqualTo("/" + provider + "/v1/chat/completions")).atPriority(5)
                    .willReturn(chatAnswer("from " + provider)));
        }
        agent = TestAgent.create(stack, "Routing", 1_000_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains("routed-lb", "routed-cool", "routed-gpt",
                "routed-claude", "routed-dear", "breaker-down", "breaker-up"));
    }

    @Test
    void requests_for_a_model_are_spread_over_its_deployments_by_weight() {
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            ChatCompletion completion = chat("routed-lb", "balance-me");
            assertThat(completion.model()).as("the client sees the model it asked for").isEqualTo("routed-lb");
        }

        int one = stack.upstream.findAll(postRequestedFor(urlEqualTo("/lb-one/v1/chat/completions"))
                .withRequestBody(containing("balance-me"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-lb-one")))).size();
        int two = stack.upstream.findAll(postRequestedFor(urlEqualTo("/lb-two/v1/chat/completions"))
                .withRequestBody(containing("balance-me"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-lb")))).size();
        assertThat(one + two).as("each request to one deployment, under the name it knows the model by")
                .isEqualTo(requests);
        // Weights 3:1 → about 30 and 10; both get a share, and the heavier more (a fair draw misses this ~1 in 10^4).
        assertThat(two).isPositive();
        assertThat(one).isGreaterThan(two);
    }

    @Test
    void a_deployment_that_answered_429_is_cooled_down_and_skipped() {
        stack.upstream.stubFor(post(urlEqualTo("/lb-one/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-cool")))
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                                + "\"code\":\"rate_limit_exceeded\"}}")));
        // Until the balancer has picked lb-one once: its 429 cools it down, and lb-two answers that request.
        for (int i = 0; i < 30 && limited() == 0; i++) {
            assertThat(text(chat("routed-cool", "cool-me"))).isEqualTo("from lb-two");
        }
        assertThat(limited()).as("lb-one was tried once and answered 429").isEqualTo(1);

        for (int i = 0; i < 10; i++) {
            assertThat(text(chat("routed-cool", "cool-me"))).isEqualTo("from lb-two");
        }

        assertThat(limited()).as("the cooled-down deployment is skipped").isEqualTo(1);
    }

    @Test
    void a_circuit_opened_on_one_deployment_does_not_block_the_providers_other_deployment() {
        stack.upstream.stubFor(post(urlEqualTo("/breaker/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo("breaker-down")))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"down\"}}")));

        // The breaker opens after 10 calls, half of them failed; the shipped max-retries is 0 for this provider.
        for (int i = 0; i < 12; i++) {
            assertThatThrownBy(() -> chat("breaker-down", "breaker-test"))
                    .isInstanceOfSatisfying(OpenAIServiceException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(502));
        }
        int calls = stack.upstream.findAll(postRequestedFor(urlEqualTo("/breaker/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("breaker-down")))).size();
        assertThatThrownBy(() -> chat("breaker-down", "breaker-test"))
                .isInstanceOfSatisfying(OpenAIServiceException.class,
                        e -> assertThat(e.getMessage()).contains("circuit is open"));
        assertThat(stack.upstream.findAll(postRequestedFor(urlEqualTo("/breaker/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("breaker-down"))))).hasSize(calls);

        assertThat(text(chat("breaker-up", "breaker-test"))).isEqualTo("from breaker");
    }

    @Test
    void a_failing_model_falls_back_to_a_dearer_model_of_another_provider_held_and_charged_at_its_price() {
        stack.upstream.stubFor(post(urlEqualTo("/chain-openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("chain-on-error"))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"overloaded\"}}")));
        stack.upstream.stubFor(post(urlEqualTo("/chain-anthropic/v1/messages")).atPriority(1)
                .withRequestBody(containing("chain-on-error"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-claude")))
                .willReturn(messagesAnswer("from claude", 20, 10)));

        ChatCompletion completion = chat("routed-gpt", "chain-on-error");

        assertThat(text(completion)).isEqualTo("from claude");
        assertThat(completion.model()).isEqualTo("routed-claude");
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        assertThat(platform).containsEntry("model", "routed-claude").containsEntry("provider", "chain-anthropic")
                .containsEntry("fallback_from", "routed-gpt").containsEntry("fallback_reason", "provider_error");
        // Claude's price × the usage Anthropic billed: (20 × $3 + 10 × $15) / 1000 × 100 credits per USD = 21.
        assertChargedAtClaudesPrice(platform, 21);
        JsonNode record = record((String) platform.get("request_id"));
        assertThat(record.path("requested_model").asString()).isEqualTo("routed-gpt");
        assertThat(record.path("model").asString()).as("the record names the model that answered")
                .isEqualTo("routed-claude");
        assertThat(record.path("provider").asString()).isEqualTo("chain-anthropic");
        assertThat(record.path("charged_credits").asLong()).isEqualTo(21);
    }

    @Test
    void a_prompt_too_long_for_the_first_model_falls_back_to_the_next() {
        stack.upstream.stubFor(post(urlEqualTo("/chain-openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("chain-on-context"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                                + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
                                + "\"code\":\"context_length_exceeded\"}}")));
        stack.upstream.stubFor(post(urlEqualTo("/chain-anthropic/v1/messages")).atPriority(1)
                .withRequestBody(containing("chain-on-context"))
                .willReturn(messagesAnswer("long context", 30, 4)));

        ChatCompletion completion = chat("routed-gpt", "chain-on-context");

        assertThat(text(completion)).isEqualTo("long context");
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        assertThat(platform).containsEntry("fallback_reason", "context_length_exceeded");
        // (30 × 3 + 4 × 15) / 1000 × 100 = 15
        assertChargedAtClaudesPrice(platform, 15);
    }

    @Test
    void a_stream_falls_back_before_its_first_chunk_and_is_charged_at_the_answering_models_price() {
        stack.upstream.stubFor(post(urlEqualTo("/chain-openai/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("chain-stream"))
                .willReturn(aResponse().withStatus(502).withBody("{\"error\":{\"message\":\"bad gateway\"}}")));
        stack.upstream.stubFor(post(urlEqualTo("/chain-anthropic/v1/messages")).atPriority(1)
                .withRequestBody(containing("chain-stream"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-claude")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","content":[],"model":"routed-claude","usage":{"input_tokens":40,"output_tokens":1}}}

                        event: content_block_start
                        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Stre"}}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"amed"}}

                        event: content_block_stop
                        data: {"type":"content_block_stop","index":0}

                        event: message_delta
                        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

                        event: message_stop
                        data: {"type":"message_stop"}

                        """)));

        HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/chat/completions",
                agent.key(), JSON.writeValueAsString(Map.of("model", "routed-gpt", "stream", true,
                        "stream_options", Map.of("include_usage", true), "max_tokens", 50,
                        "messages", List.of(Map.of("role", "user", "content", "chain-stream")))));

        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        JsonNode platform = null;
        List<String> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:")) {
                data.add(line.substring(5).trim());
            }
        }
        assertThat(data).as("one stream, ended once").endsWith("[DONE]").filteredOn("[DONE]"::equals).hasSize(1);
        assertThat(data).noneMatch(d -> d.contains("\"error\""));
        for (String event : data.subList(0, data.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            chunk.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asString("")));
            if (chunk.has("x_platform")) {
                platform = chunk.path("x_platform");
            }
        }
        assertThat(text.toString()).isEqualTo("Streamed");
        assertThat(platform).as("the usage chunk's x_platform").isNotNull();
        assertThat(platform.path("model").asString()).isEqualTo("routed-claude");
        assertThat(platform.path("fallback_from").asString()).isEqualTo("routed-gpt");
        // (40 × 3 + 6 × 15) / 1000 × 100 = 21
        assertChargedAtClaudesPrice(JSON.convertValue(platform, Map.class), 21);
    }

    @Test
    void a_step_a_budget_refuses_is_skipped_for_the_next_step_that_fits() {
        TestAgent thrifty = TestAgent.create(stack, "Thrifty chain", 10_000);
        thrifty.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 3, "agent_id",
                thrifty.agentId()));
        GatewayIT.awaitKnownOn(stack, thrifty.key());

        // routed-dear, at $15 per 1k output tokens, holds more than 3 credits for 50 tokens; routed-gpt holds 1.
        ChatCompletion completion = GatewayIT.client(thrifty.key()).chat().completions().create(
                ChatCompletionCreateParams.builder().model("routed-dear").addUserMessage("budget-chain")
                        .maxCompletionTokens(50).build());

        assertThat(text(completion)).isEqualTo("from chain-openai");
        assertThat(GatewayIT.xPlatform(completion._additionalProperties().get("x_platform")))
                .containsEntry("model", "routed-gpt").containsEntry("provider", "chain-openai")
                .containsEntry("fallback_from", "routed-dear").containsEntry("fallback_reason", "budget_exceeded");
        assertThat(stack.upstream.findAll(postRequestedFor(urlEqualTo("/chain-anthropic/v1/messages"))
                .withRequestBody(containing("budget-chain")))).as("the refused step was never called").isEmpty();
    }

    /** x_platform and the ledger say the same charge, the claude step's, and the claude step's hold covered it. */
    private static void assertChargedAtClaudesPrice(Map<?, ?> platform, long credits) {
        long charged = ((Number) platform.get("credits_charged")).longValue();
        long reserved = ((Number) platform.get("credits_reserved")).longValue();
        assertThat(charged).isEqualTo(credits);
        // The first step, at GPT's price, would hold 1 credit for this prompt and 50 tokens out: less than the bill.
        assertThat(reserved).as("held at the dearer step's price, covering the bill")
                .isGreaterThanOrEqualTo(charged).isGreaterThan(50);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        // The agent's lease goes back once idle for three of its longest recent gaps between requests, at most
        // max-idle (30 s): this class's tests space its requests seconds apart.
        await().atMost(LeaseSettings.DEFAULTS.maxIdle().plusSeconds(15)).untilAsserted(() ->
                assertThat(ledger.openReservations(agent.orgId())).isZero());
    }

    private static JsonNode record(String requestId) {
        return ledger.requestRecords(agent.orgId(), records -> records.stream()
                        .anyMatch(r -> requestId.equals(r.path("request_id").asString())))
                .stream().filter(r -> requestId.equals(r.path("request_id").asString())).findFirst().orElseThrow();
    }

    private static int limited() {
        return stack.upstream.findAll(postRequestedFor(urlEqualTo("/lb-one/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("routed-cool")))).size();
    }

    private static ChatCompletion chat(String model, String prompt) {
        return GatewayIT.client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model(model).addUserMessage(prompt).maxCompletionTokens(50).build());
    }

    private static String text(ChatCompletion completion) {
        return completion.choices().get(0).message().content().orElse("");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder chatAnswer(String text) {
        return aResponse().withHeader("Content-Type", "application/json").withBody("""
                {"id":"chatcmpl-r","object":"chat.completion","created":1,"model":"upstream-name",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""".formatted(text));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder messagesAnswer(String text,
            int input, int output) {
        return aResponse().withHeader("Content-Type", "application/json").withBody("""
                {"id":"msg_r","type":"message","role":"assistant","model":"routed-claude",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(text, input, output));
    }
}

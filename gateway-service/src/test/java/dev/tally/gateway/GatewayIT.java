package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The gateway driven by the official OpenAI Java SDK, over the real ledger, governance and broker. */
class GatewayIT {

    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        agent = TestAgent.create(stack, "Gateway", 100_000);
        awaitKnown(agent.key());
    }

    @Test
    void the_mock_model_answers_through_the_sdk_and_the_exact_cost_is_charged() {
        long before = agent.poolBalance();
        ChatCompletion completion = client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock-model").addUserMessage("What is the capital of France?").maxCompletionTokens(256)
                .build());

        assertThat(completion.choices().get(0).message().content()).get().asString().contains("mock response");
        Map<String, Object> platform = xPlatform(completion._additionalProperties().get("x_platform"));
        long charged = ((Number) platform.get("credits_charged")).longValue();
        assertThat(charged).isPositive();
        assertThat(platform).containsEntry("model", "mock-model").containsKey("request_id").containsKey("latency_ms");
        assertThat(completion.usage()).get().satisfies(u -> assertThat(u.completionTokens()).isPositive());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(agent.poolBalance()).isEqualTo(before - charged));
    }

    @Test
    void streaming_delivers_the_chunks_and_a_usage_chunk_with_the_charge() {
        List<String> parts = new ArrayList<>();
        List<ChatCompletionChunk> withUsage = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(agent.key()).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("mock-model").addUserMessage("Stream please")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(parts::add));
                if (chunk.usage().isPresent()) {
                    withUsage.add(chunk);
                }
            });
        }
        assertThat(String.join("", parts)).startsWith("This is a mock response from Tally.");
        assertThat(withUsage).hasSize(1);
        assertThat(xPlatform(withUsage.get(0)._additionalProperties().get("x_platform")))
                .containsKey("credits_charged");
    }

    @Test
    void every_answer_says_what_was_held_and_charged_in_x_tally_headers() {
        HttpResponseFor<ChatCompletion> answer = client(agent.key()).chat().completions().withRawResponse()
                .create(ChatCompletionCreateParams.builder().model("mock-model").addUserMessage("Headers, please")
                        .maxCompletionTokens(64).build());

        Map<String, Object> platform = xPlatform(answer.parse()._additionalProperties().get("x_platform"));
        for (String field : List.of("request_id", "credits_reserved", "credits_charged", "latency_ms", "model",
                "provider")) {
            assertThat(answer.headers().values("x-tally-" + field.replace('_', '-'))).as(field)
                    .containsExactly(String.valueOf(platform.get(field)));
        }
    }

    @Test
    void a_stream_says_what_was_held_in_x_tally_headers_before_its_first_chunk() {
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> answer = client(agent.key()).chat().completions()
                .withRawResponse().createStreaming(ChatCompletionCreateParams.builder().model("mock-model")
                        .addUserMessage("Stream headers").maxCompletionTokens(64).build());
        String requestId;
        try (StreamResponse<ChatCompletionChunk> stream = answer.parse()) {
            requestId = answer.headers().values("x-tally-request-id").get(0);
            assertThat(answer.headers().values("x-tally-credits-reserved")).singleElement()
                    .satisfies(held -> assertThat(Long.parseLong(held)).isPositive());
            assertThat(answer.headers().values("x-tally-model")).containsExactly("mock-model");
            assertThat(answer.headers().values("x-tally-credits-charged")).as("not known yet").isEmpty();
            assertThat(stream.stream().count()).isPositive();
        }
        assertThat(answer.headers().values("X-Request-ID")).containsExactly(requestId);
    }

    @Test
    void an_openai_compatible_upstream_gets_the_platform_key_and_the_reserved_max_completion_tokens_as_such() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-up","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":28,"completion_tokens":4,"total_tokens":32}}""")));

        ChatCompletion completion = client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("What is the capital of France?").maxCompletionTokens(50)
                .build());

        assertThat(completion.choices().get(0).message().content()).contains("Paris.");
        stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-platform-openai"))
                .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("50")))
                .withRequestBody(notContaining("\"max_tokens\"")));
    }

    @Test
    void a_model_named_with_its_provider_is_served_under_its_own_name() {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-prefixed","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Prefixed."},
                         "finish_reason":"stop"}],
                         "usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""")));

        ChatCompletion completion = client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4o-mini").addUserMessage("Which provider?").maxCompletionTokens(20).build());

        assertThat(completion.choices().get(0).message().content()).contains("Prefixed.");
        assertThat(xPlatform(completion._additionalProperties().get("x_platform")))
                .containsEntry("model", "gpt-4o-mini").containsEntry("provider", "openai");
        assertThatThrownBy(() -> client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("anthropic/gpt-4o-mini").addUserMessage("Wrong provider").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("anthropic/gpt-4o-mini");
    }

    @Test
    void an_anthropic_upstream_is_translated_both_ways() {
        stack.upstream.stubFor(post(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"msg_01","type":"message","role":"assistant","model":"claude-3-haiku-20240307",
                         "content":[{"type":"text","text":"Bonjour!"}],"stop_reason":"end_turn",
                         "usage":{"input_tokens":12,"output_tokens":3}}""")));

        ChatCompletion completion = client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-3-haiku-20240307").addSystemMessage("Answer in French.").addUserMessage("Hello")
                .maxCompletionTokens(100).build());

        assertThat(completion.choices().get(0).message().content()).contains("Bonjour!");
        assertThat(completion.usage()).get().satisfies(u -> {
            assertThat(u.promptTokens()).isEqualTo(12);
            assertThat(u.completionTokens()).isEqualTo(3);
        });
        stack.upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withHeader("x-api-key", equalTo("sk-ant-platform"))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.system", equalTo("Answer in French.")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("100"))));
    }

    @Test
    void refusals_come_back_in_openai_format_with_the_right_status() {
        assertThatThrownBy(() -> complete(client("cpk_not-a-key"), "mock-model"))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> complete(client(agent.key()), "no-such-model"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");

        TestAgent limited = TestAgent.create(stack, "Limited", 10_000);
        limited.owner().post("/policies", Map.of("agent_id", limited.agentId(),
                "allowed_models", List.of("mock-model"), "rpm_limit", 2));
        awaitKnown(limited.key());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> complete(client(limited.key()), "gpt-4o-mini"))
                        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("allowed models"));
        // Five requests, not three: windows are whole minutes, and three sent across a minute's turn fit in two
        // windows of two (CI saw it); five put three in one of them whatever the turn.
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                complete(client(limited.key()), "mock-model");
            }
        }).isInstanceOf(RateLimitException.class)
                .satisfies(e -> assertThat(((RateLimitException) e).headers().values("Retry-After")).isNotEmpty());
    }

    @Test
    void a_budget_that_cannot_take_the_request_answers_402_naming_the_budget() {
        TestAgent capped = TestAgent.create(stack, "Capped", 10_000);
        String budgetId = capped.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 1,
                "agent_id", capped.agentId())).path("id").asString();
        awaitKnown(capped.key());
        assertThatThrownBy(() -> client(capped.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock-model").addUserMessage("Hello").maxCompletionTokens(20_000).build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(402);
                    assertThat(e.getMessage()).contains(budgetId);
                });
    }

    @Test
    void a_budget_that_refuses_the_requested_model_falls_back_to_the_policys_cheaper_model() {
        TestAgent thrifty = TestAgent.create(stack, "Thrifty", 10_000);
        thrifty.owner().post("/policies", Map.of("agent_id", thrifty.agentId(),
                "allowed_models", List.of("gpt-4o", "mock-model"), "fallback_models", List.of("mock-model")));
        thrifty.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 2, "agent_id", thrifty.agentId()));
        awaitKnown(thrifty.key());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client(thrifty.key()).models().list()
                .data()).extracting(m -> m.id()).containsExactlyInAnyOrder("gpt-4o", "mock-model"));

        // gpt-4o with 2,000 output tokens would reserve 3 credits; mock-model needs 1.
        ChatCompletion completion = client(thrifty.key()).chat().completions().create(ChatCompletionCreateParams
                .builder().model("gpt-4o").addUserMessage("Hello").maxCompletionTokens(2_000).build());

        assertThat(xPlatform(completion._additionalProperties().get("x_platform")))
                .containsEntry("model", "mock-model")
                .containsEntry("fallback_from", "gpt-4o")
                .containsEntry("fallback_reason", "budget_exceeded");
    }

    @Test
    void a_revoked_key_is_refused_within_a_second() {
        TestAgent revoking = TestAgent.create(stack, "Revoking", 1_000);
        awaitKnown(revoking.key());
        complete(client(revoking.key()), "mock-model");
        String keyId = revoking.owner().get("/agents/" + revoking.agentId() + "/keys").get(0).path("id").asString();

        revoking.owner().delete("/agents/" + revoking.agentId() + "/keys/" + keyId);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThatThrownBy(() -> complete(client(revoking.key()), "mock-model"))
                        .isInstanceOf(UnauthorizedException.class));
    }

    @Test
    void a_request_without_messages_is_a_400_naming_the_parameter() {
        assertThatThrownBy(() -> client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock-model").messages(List.of()).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("messages");
    }

    static ChatCompletion complete(OpenAIClient client, String model) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                .addUserMessage("Hello").maxCompletionTokens(32).build());
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(GatewayStack.get().gatewayA.baseUrl() + "/v1").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    static void awaitKnown(String key) {
        awaitKnownOn(stack, key);
    }

    /** Both replicas read the state topic; wait until a new key works on both. */
    static void awaitKnownOn(GatewayStack stack, String key) {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
            assertThat(OpenAIOkHttpClient.builder().apiKey(key).baseUrl(stack.gatewayA.baseUrl() + "/v1")
                    .maxRetries(0).build().models().list().data()).isNotEmpty();
            assertThat(OpenAIOkHttpClient.builder().apiKey(key).baseUrl(stack.gatewayB.baseUrl() + "/v1")
                    .maxRetries(0).build().models().list().data()).isNotEmpty();
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> xPlatform(JsonValue value) {
        assertThat(value).as("x_platform").isNotNull();
        return value.convert(Map.class);
    }
}

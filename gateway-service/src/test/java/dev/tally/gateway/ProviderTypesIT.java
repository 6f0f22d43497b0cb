package dev.tally.gateway;

import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tally.gateway.provider.FakeBedrock;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Azure OpenAI, Gemini and AWS Bedrock behind the gateway, from the OpenAI SDK: fakes speaking each one's wire format
 * (Bedrock's through the real AWS SDK, event-stream framing included), charged at the built-in catalog's prices for
 * the usage the fake billed, the organisation's BYOK key reaching the fake, retries, fallbacks and refusals.
 */
class ProviderTypesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String AZURE_MODEL = "azure/gpt-4o-mini";
    private static final String AZURE_CHAT = "/azure/openai/deployments/tally-mini/chat/completions"
            + "?api-version=2024-10-21";
    private static final String GEMINI_MODEL = "gemini-2.5-flash";
    private static final String GEMINI_CHAT = "/gemini/v1beta/openai/chat/completions";
    private static final String BEDROCK_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        agent = TestAgent.create(stack, "Provider types", 100_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains(AZURE_MODEL, GEMINI_MODEL, BEDROCK_MODEL));
    }

    /** 200,000 in at $0.15/M + 50,000 out at $0.60/M (azure/gpt-4o-mini) = $0.06: 6 credits. */
    @Test
    void azure_is_called_at_its_deployment_with_api_key_and_charged_at_the_catalog_price() {
        stack.upstream.stubFor(post(urlEqualTo(AZURE_CHAT)).withHeader("api-key", equalTo("azure-platform-key"))
                .withRequestBody(containing("azure-plain"))
                .willReturn(openAiAnswer("from azure", 200_000, 0, 50_000)));

        ChatCompletion completion = chat(agent, AZURE_MODEL, "azure-plain");

        assertThat(completion.choices().get(0).message().content()).contains("from azure");
        assertCharged(completion, 6, 200_000, 50_000);
    }

    @Test
    void an_azure_stream_is_relayed_and_charged_from_its_usage_chunk() {
        stack.upstream.stubFor(post(urlEqualTo(AZURE_CHAT)).withRequestBody(containing("azure-stream"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
                .willReturn(openAiStream("Hel", "lo", 200_000, 0, 50_000)));

        Streamed streamed = stream(agent, AZURE_MODEL, "azure-stream");

        assertThat(streamed.text()).isEqualTo("Hello");
        assertThat(ledgerCharge(agent, streamed.requestId()).path("charged_credits").asLong()).isEqualTo(6);
    }

    @Test
    void an_azure_resource_that_keeps_failing_is_retried_then_falls_back_to_the_next() {
        stack.upstream.stubFor(post(urlEqualTo(AZURE_CHAT)).atPriority(1).withRequestBody(containing("azure-down"))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"busy\"}}")));
        // The backup resource maps no deployments: the model's own name after "azure/" is its deployment.
        stack.upstream.stubFor(post(urlEqualTo("/azure-backup/openai/deployments/gpt-4o-mini/chat/completions"
                        + "?api-version=2024-10-21")).withHeader("api-key", equalTo("azure-backup-key"))
                .willReturn(openAiAnswer("from the backup resource", 10, 0, 2)));

        ChatCompletion completion = chat(agent, AZURE_MODEL, "azure-down");

        assertThat(completion.choices().get(0).message().content()).contains("from the backup resource");
        assertThat(GatewayIT.xPlatform(completion._additionalProperties().get("x_platform")))
                .containsEntry("provider", "azure-backup");
        stack.upstream.verify(3, postRequestedFor(urlEqualTo(AZURE_CHAT)).withRequestBody(containing("azure-down")));
    }

    /**
     * 100,000 prompt tokens of which 50,000 cached: 50,000 × $0.30/M + 50,000 × $0.03/M + 20,000 × $2.50/M
     * (gemini-2.5-flash) = $0.0665: 7 credits (6.65 rounded up). Priced without the cache it would be 8.
     */
    @Test
    void gemini_is_called_on_its_openai_endpoint_with_a_bearer_key_and_cached_tokens_are_cheaper() {
        stack.upstream.stubFor(post(urlEqualTo(GEMINI_CHAT))
                .withHeader("Authorization", equalTo("Bearer gemini-platform-key"))
                .withRequestBody(containing("gemini-plain"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(GEMINI_MODEL)))
                .willReturn(openAiAnswer("from gemini", 100_000, 50_000, 20_000)));

        ChatCompletion completion = chat(agent, GEMINI_MODEL, "gemini-plain");

        assertThat(completion.choices().get(0).message().content()).contains("from gemini");
        assertCharged(completion, 7, 100_000, 20_000);
    }

    @Test
    void a_gemini_stream_is_relayed_and_charged_from_its_usage_chunk() {
        stack.upstream.stubFor(post(urlEqualTo(GEMINI_CHAT)).withRequestBody(containing("gemini-stream"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
                .willReturn(openAiStream("Bon", "jour", 100_000, 50_000, 20_000)));

        Streamed streamed = stream(agent, GEMINI_MODEL, "gemini-stream");

        assertThat(streamed.text()).isEqualTo("Bonjour");
        assertThat(ledgerCharge(agent, streamed.requestId()).path("charged_credits").asLong()).isEqualTo(7);
    }

    @Test
    void a_gemini_400_becomes_openai_error_json_with_googles_message_and_nothing_is_retried() {
        stack.upstream.stubFor(post(urlEqualTo(GEMINI_CHAT)).atPriority(1).withRequestBody(containing("gemini-bad"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        "[{\"error\":{\"code\":400,\"message\":\"Invalid value at 'temperature'\","
                                + "\"status\":\"INVALID_ARGUMENT\"}}]")));

        assertThatThrownBy(() -> chat(agent, GEMINI_MODEL, "gemini-bad"))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Invalid value at 'temperature'");
                });
        stack.upstream.verify(1, postRequestedFor(urlEqualTo(GEMINI_CHAT)).withRequestBody(containing("gemini-bad")));
    }

    /** 200,000 in at $0.25/M + 40,000 out at $1.25/M (Claude 3 Haiku on Bedrock) = $0.10: 10 credits. */
    @Test
    void bedrock_converse_is_signed_with_the_platform_key_pair_and_charged_at_the_catalog_price() {
        stack.upstream.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE))
                .withHeader("Authorization", matching(FakeBedrock.signedWith("AKIAPLATFORMKEY00000")))
                .withRequestBody(containing("bedrock-plain"))
                .willReturn(FakeBedrock.converse("from bedrock", "end_turn", 200_000, 40_000)));

        ChatCompletion completion = chat(agent, BEDROCK_MODEL, "bedrock-plain");

        assertThat(completion.choices().get(0).message().content()).contains("from bedrock");
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertCharged(completion, 10, 200_000, 40_000);
        stack.upstream.verify(postRequestedFor(urlPathMatching(FakeBedrock.CONVERSE))
                .withRequestBody(matchingJsonPath("$.inferenceConfig.maxTokens"))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo("bedrock-plain"))));
    }

    @Test
    void a_bedrock_converse_stream_is_relayed_chunk_by_chunk_and_charged_from_its_metadata() {
        stack.upstream.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE_STREAM))
                .withRequestBody(containing("bedrock-stream"))
                .willReturn(FakeBedrock.converseStream(List.of("Gu", "ten ", "Tag"), "end_turn", 200_000, 40_000)));

        Streamed streamed = stream(agent, BEDROCK_MODEL, "bedrock-stream");

        assertThat(streamed.text()).isEqualTo("Guten Tag");
        assertThat(streamed.promptTokens()).isEqualTo(200_000);
        assertThat(streamed.completionTokens()).isEqualTo(40_000);
        assertThat(ledgerCharge(agent, streamed.requestId()).path("charged_credits").asLong()).isEqualTo(10);
    }

    @Test
    void bedrock_throttling_is_retried_and_then_answered_with_502() {
        stack.upstream.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).atPriority(1)
                .withRequestBody(containing("bedrock-throttled"))
                .willReturn(FakeBedrock.error(429, "ThrottlingException", "Too many requests, please wait.")));

        assertThatThrownBy(() -> chat(agent, BEDROCK_MODEL, "bedrock-throttled"))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("Too many requests");
                });
        stack.upstream.verify(3, postRequestedFor(urlPathMatching(FakeBedrock.CONVERSE))
                .withRequestBody(containing("bedrock-throttled")));
    }

    @Test
    void a_bedrock_validation_error_becomes_openai_error_json_with_bedrocks_message() {
        stack.upstream.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).atPriority(1)
                .withRequestBody(containing("bedrock-invalid"))
                .willReturn(FakeBedrock.error(400, "ValidationException", "The model does not support topP")));

        assertThatThrownBy(() -> chat(agent, BEDROCK_MODEL, "bedrock-invalid"))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("The model does not support topP");
                });
        stack.upstream.verify(1, postRequestedFor(urlPathMatching(FakeBedrock.CONVERSE))
                .withRequestBody(containing("bedrock-invalid")));
    }

    @Test
    void bedrock_tools_are_refused_naming_the_field() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.gatewayA.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + agent.key()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "model", BEDROCK_MODEL, "max_tokens", 10,
                        "messages", List.of(Map.of("role", "user", "content", "bedrock-tools")),
                        "tools", List.of(Map.of("type", "function", "function", Map.of("name", "lookup",
                                "parameters", Map.of("type", "object"))))))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("param").asString()).isEqualTo("tools");
        stack.upstream.verify(0, postRequestedFor(urlPathMatching("/model/.*"))
                .withRequestBody(containing("bedrock-tools")));
    }

    @Test
    void each_organisations_byok_credential_reaches_its_provider_instead_of_the_platform_key() {
        TestAgent own = TestAgent.create(stack, "Byok types", 10_000);
        String credentials = "/orgs/" + own.orgId() + "/credentials";
        own.owner().post(credentials, Map.of("provider", "azure", "api_key", "azure-org-key-5678"));
        own.owner().post(credentials, Map.of("provider", "gemini", "api_key", "gemini-org-key-9012"));
        own.owner().post(credentials, Map.of("provider", "bedrock", "access_key_id", "AKIAORGANISATION0001",
                "secret_access_key", "organisation-secret-access-key", "label", "bedrock user"));
        stack.upstream.stubFor(post(urlEqualTo(AZURE_CHAT)).atPriority(1).withRequestBody(containing("byok-types"))
                .willReturn(openAiAnswer("ok", 5, 0, 1)));
        stack.upstream.stubFor(post(urlEqualTo(GEMINI_CHAT)).atPriority(1).withRequestBody(containing("byok-types"))
                .willReturn(openAiAnswer("ok", 5, 0, 1)));
        stack.upstream.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).atPriority(1)
                .withRequestBody(containing("byok-types"))
                .willReturn(FakeBedrock.converse("ok", "end_turn", 5, 1)));
        GatewayIT.awaitKnownOn(stack, own.key());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String model : List.of(AZURE_MODEL, GEMINI_MODEL, BEDROCK_MODEL)) {
                chat(own, model, "byok-types");
            }
            stack.upstream.verify(postRequestedFor(urlEqualTo(AZURE_CHAT)).withRequestBody(containing("byok-types"))
                    .withHeader("api-key", equalTo("azure-org-key-5678")));
            stack.upstream.verify(postRequestedFor(urlEqualTo(GEMINI_CHAT)).withRequestBody(containing("byok-types"))
                    .withHeader("Authorization", equalTo("Bearer gemini-org-key-9012")));
            stack.upstream.verify(postRequestedFor(urlPathMatching(FakeBedrock.CONVERSE))
                    .withRequestBody(containing("byok-types"))
                    .withHeader("Authorization", matching(FakeBedrock.signedWith("AKIAORGANISATION0001"))));
        });
    }

    private static ChatCompletion chat(TestAgent agent, String model, String text) {
        return GatewayIT.client(agent.key()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model(model).addUserMessage(text).maxCompletionTokens(60_000).build());
    }

    private record Streamed(String text, long promptTokens, long completionTokens, String requestId) {
    }

    private static Streamed stream(TestAgent agent, String model, String text) {
        StringBuilder content = new StringBuilder();
        long[] usage = {-1, -1};
        AtomicReference<String> requestId = new AtomicReference<>();
        try (StreamResponse<ChatCompletionChunk> stream = GatewayIT.client(agent.key()).chat().completions()
                .createStreaming(ChatCompletionCreateParams.builder().model(model).addUserMessage(text)
                        .maxCompletionTokens(60_000)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(content::append));
                chunk.usage().ifPresent(u -> {
                    usage[0] = u.promptTokens();
                    usage[1] = u.completionTokens();
                    requestId.set((String) GatewayIT.xPlatform(chunk._additionalProperties().get("x_platform"))
                            .get("request_id"));
                });
            });
        }
        return new Streamed(content.toString(), usage[0], usage[1], requestId.get());
    }

    private static void assertCharged(ChatCompletion completion, long credits, long tokensIn, long tokensOut) {
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        JsonNode charge = ledgerCharge(agent, (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(tokensIn);
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(tokensOut);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder openAiAnswer(String text,
            long prompt, long cached, long completion) {
        return aResponse().withHeader("Content-Type", "application/json").withBody("""
                {"id":"chatcmpl-t","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":%s}""".formatted(text, usage(prompt, cached, completion)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder openAiStream(String first,
            String second, long prompt, long cached, long completion) {
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";
        return aResponse().withHeader("Content-Type", "text/event-stream").withBody(
                "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\""
                        + first + "\"},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + second
                        + "\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: " + chunk + "\"choices\":[],\"usage\":" + usage(prompt, cached, completion)
                        + "}\n\n"
                        + "data: [DONE]\n\n");
    }

    private static String usage(long prompt, long cached, long completion) {
        return ("{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":%d}}").formatted(prompt, completion,
                prompt + completion, cached);
    }

    private static JsonNode ledgerCharge(TestAgent agent, String requestId) {
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

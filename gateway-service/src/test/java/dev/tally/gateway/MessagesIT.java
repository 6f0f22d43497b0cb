package dev.tally.gateway;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.Usage;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tally.gateway.pricing.TestImages;
import dev.tally.gateway.provider.HonestUpstream;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.LedgerReads;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens} through the official Anthropic Java SDK, as Claude
 * Code and Anthropic's SDKs call them: answered as Anthropic answered (streams event by event, named), charged exactly
 * what Anthropic billed (each kind of token at its rate), the body passed on as sent, and governed as chat is, every
 * refusal in Anthropic's error format.
 */
class MessagesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * At 100 credits per USD: 1 credit per input token, 2 per output token, half a credit per cache read, 1.5 per
     * cache write.
     */
    private static final String MODEL = "claude-messages-it";
    private static final String MESSAGES = "/anthropic/v1/messages";
    private static GatewayStack stack;
    private static TestAgent agent;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/anthropic/" + MODEL, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20,
                "cached_input_usd_per_1k", 5, "cache_write_usd_per_1k", 15));
        stack.upstream.stubFor(post(urlEqualTo(MESSAGES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
        agent = TestAgent.create(stack, "Messages", 10_000_000);
        awaitKnown(agent.key());
    }

    @Test
    void a_message_is_answered_as_anthropic_sent_it_and_charged_exactly_what_it_billed() {
        Message answer = anthropic(agent.key()).messages().create(MessageCreateParams.builder().model(MODEL)
                .maxTokens(64).system("You answer in one word.").addUserMessage("What is the capital of France?")
                .build());

        assertThat(answer.content().get(0).text().orElseThrow().text()).isEqualTo(HonestUpstream.TEXT);
        assertThat(answer.model().asString()).isEqualTo(MODEL);
        assertThat(answer.usage().outputTokens()).isEqualTo(64);
        assertCharged(answer.usage(), platform(answer._additionalProperties().get("x_platform")));
    }

    @Test
    void a_bearer_token_works_as_claude_code_sends_it_and_cache_tokens_are_charged_at_their_rates() {
        Message answer = AnthropicOkHttpClient.builder().authToken(agent.key()).baseUrl(stack.gatewayB.baseUrl())
                .maxRetries(0).build().messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(8)
                        .addUserMessage("Hello").build());
        assertThat(answer.content()).hasSize(1);

        String body = """
                {"model":"%s","max_tokens":16,
                 "system":[{"type":"text","text":"A long, cached system prompt.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"Hello there, how are you today?"}]}""".formatted(MODEL);
        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/gateway/v1/messages", agent.key(),
                body);

        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        JsonNode message = JSON.readTree(raw.body());
        JsonNode usage = message.path("usage");
        assertThat(usage.path("cache_creation_input_tokens").asLong()).isPositive();
        assertThat(usage.path("cache_read_input_tokens").asLong()).isPositive();
        Map<String, Object> platform = JSON.convertValue(message.path("x_platform"), Map.class);
        assertThat(raw.headers().firstValue("x-tally-request-id")).contains((String) platform.get("request_id"));
        assertThat(raw.headers().firstValue("x-tally-credits-charged"))
                .contains(String.valueOf(platform.get("credits_charged")));
        assertThat(raw.headers().firstValue("x-tally-provider")).contains("anthropic");
        assertCharged(usage.path("input_tokens").asLong(), usage.path("cache_read_input_tokens").asLong(),
                usage.path("cache_creation_input_tokens").asLong(), usage.path("output_tokens").asLong(), platform);
    }

    @Test
    void a_stream_is_relayed_event_by_event_and_charged_before_message_stop() {
        List<String> types = new ArrayList<>();
        MessageAccumulator accumulator = MessageAccumulator.create();
        Map<String, JsonValue> stop;
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic(agent.key()).messages().createStreaming(
                MessageCreateParams.builder().model(MODEL).maxTokens(40).addUserMessage("Stream, please.").build())) {
            List<RawMessageStreamEvent> events = stream.stream().toList();
            events.forEach(event -> {
                accumulator.accumulate(event);
                types.add(name(event));
            });
            stop = events.get(events.size() - 1).asMessageStop()._additionalProperties();
        }

        assertThat(types).first().isEqualTo("message_start");
        assertThat(types).contains("content_block_start", "content_block_delta", "content_block_stop",
                "message_delta").last().isEqualTo("message_stop");
        Message message = accumulator.message();
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo(HonestUpstream.TEXT);
        assertThat(message.usage().outputTokens()).isEqualTo(40);
        assertCharged(message.usage(), platform(stop.get("x_platform")));

        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", agent.key(), """
                {"model":"%s","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}]}"""
                .formatted(MODEL));
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(raw.body()).contains("event:message_start", "event:ping", "event:content_block_delta",
                "event:message_delta", "event:message_stop").doesNotContain("[DONE]");
        assertThat(raw.body().strip()).endsWith("}").contains("\"x_platform\"");
    }

    @Test
    void a_stream_that_breaks_off_before_message_stop_ends_with_an_error_event_and_is_charged_what_was_generated() {
        String broken = MODEL + "-broken";
        stack.platform().put("/pricing/anthropic/" + broken, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20));
        String generated = "Half an answer, then the connection";
        stack.upstream.stubFor(post(urlEqualTo(MESSAGES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(broken)))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",\
                        "model":"%s","content":[],"usage":{"input_tokens":7,"output_tokens":1}}}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"%s"}}

                        """.formatted(broken, generated))));
        String body = "{\"model\":\"" + broken + "\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me everything.\"}]}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(RawHttp.postJson(
                stack.gatewayA.baseUrl() + "/v1/messages/count_tokens", agent.key(), body).statusCode())
                .isEqualTo(200));
        long prompt = JSON.readTree(RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages/count_tokens",
                agent.key(), body).body()).path("input_tokens").asLong();

        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", agent.key(), body);

        assertThat(raw.body()).contains("event:content_block_delta", "event:error", "\"type\":\"api_error\"")
                .doesNotContain("event:message_stop");
        long output = new dev.tally.gateway.pricing.Tokenizer().count(broken, generated);
        JsonNode charge = ledger.charge(agent.orgId(), raw.headers().firstValue("x-tally-request-id").orElseThrow());
        assertThat(charge.path("tokens_in").asLong()).as("the prompt's bound").isEqualTo(prompt);
        assertThat(charge.path("tokens_out").asLong()).as("what was generated").isEqualTo(output);
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(prompt + 2 * output);
    }

    @Test
    void tools_images_and_every_other_field_pass_to_anthropic_unchanged_with_its_version_and_beta_headers() {
        String marker = "marker-" + UUID.randomUUID();
        String image = Base64.getEncoder().encodeToString(TestImages.encode("png", 64, 48));
        AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(agent.key()).baseUrl(stack.gatewayA.baseUrl())
                .putHeader("anthropic-beta", "fine-grained-tool-streaming-2025-05-14")
                .putHeader("anthropic-version", "2023-06-01").maxRetries(0).build();

        client.messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(32)
                .addTool(Tool.builder().name("get_weather").description("The weather in a city.")
                        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
                                .required(List.of("city")).build()).build())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofText(marker),
                        ContentBlockParam.ofImage(Base64ImageSource.builder().data(image)
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).build())))
                .build());

        LoggedRequest forwarded = forwarded(marker);
        JsonNode body = JSON.readTree(forwarded.getBodyAsString());
        assertThat(body.path("tools").get(0).path("name").asString()).isEqualTo("get_weather");
        assertThat(body.path("tools").get(0).path("input_schema").path("properties").path("city").path("type")
                .asString()).isEqualTo("string");
        assertThat(body.path("messages").get(0).path("content").get(1).path("source").path("data").asString())
                .isEqualTo(image);
        assertThat(forwarded.getHeader("anthropic-beta")).isEqualTo("fine-grained-tool-streaming-2025-05-14");
        assertThat(forwarded.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(forwarded.getHeader("x-api-key")).as("the platform's key, never the gateway key")
                .isEqualTo("sk-ant-platform");

        // Byte for byte: what a client sends is what Anthropic gets, whatever fields it uses.
        String sent = """
                {"model":"%s","max_tokens":100,"system":[{"type":"text","text":"%s"}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"Weather?"},
                   {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Notes."}}]},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather",
                    "input":{"city":"Paris"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny"}]}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"auto"},"metadata":{"user_id":"u-1"},"stop_sequences":["END"],
                 "temperature":0.5,"thinking":{"type":"enabled","budget_tokens":64},"future_field":[1,2]}"""
                .formatted(MODEL, marker + "-raw");
        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", agent.key(), sent);
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        assertThat(JSON.readTree(forwarded(marker + "-raw").getBodyAsString())).isEqualTo(JSON.readTree(sent));
    }

    @Test
    void max_tokens_is_capped_by_the_policy_and_a_model_the_policy_forbids_is_403() {
        TestAgent capped = TestAgent.create(stack, "Messages capped", 100_000);
        capped.owner().post("/policies", Map.of("agent_id", capped.agentId(), "allowed_models", List.of(MODEL),
                "max_output_tokens", 20));
        awaitKnown(capped.key());
        AnthropicClient client = anthropic(capped.key());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() -> client.messages()
                .create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(10).addUserMessage("Hi")
                        .build())).isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(403);
                            assertThat(e.getMessage()).contains("allowed models");
                        }));
        Message answer = client.messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(1000)
                .addUserMessage("Hi").build());

        assertThat(answer.usage().outputTokens()).isEqualTo(20);
        stack.upstream.verify(postRequestedFor(urlEqualTo(MESSAGES)).withRequestBody(matchingJsonPath("$.model",
                equalTo(MODEL))).withRequestBody(matchingJsonPath("$.max_tokens", equalTo("20"))));
    }

    @Test
    void without_a_valid_key_the_answer_is_401_in_anthropics_format() {
        HttpResponse<String> none = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", null,
                "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(none.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(none.body());
        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("type").asString()).isEqualTo("authentication_error");
        assertThatThrownBy(() -> anthropic("cpk_not-a-key").messages().create(hello(MODEL)))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> anthropic("cpk_not-a-key").messages().countTokens(MessageCountTokensParams.builder()
                .model(MODEL).addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void another_organisations_key_is_its_own_organisations_request() {
        TestAgent mine = TestAgent.create(stack, "Mine (messages)", 10_000);
        String project = mine.owner().post("/orgs/" + mine.orgId() + "/projects", Map.of("name", "Secret"))
                .path("id").asString();
        TestAgent theirs = TestAgent.create(stack, "Theirs (messages)", 100_000);
        awaitKnown(theirs.key());
        AnthropicClient intruder = AnthropicOkHttpClient.builder().apiKey(theirs.key())
                .baseUrl(stack.gatewayA.baseUrl()).putHeader("X-Project-ID", project).maxRetries(0).build();
        long theirsBefore = theirs.poolBalance();
        long mineBefore = mine.poolBalance();

        assertThatThrownBy(() -> intruder.messages().create(hello(MODEL)))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.errorCode()).contains("unknown_project");
                    assertThat(e.getMessage()).contains("not a project of your organisation");
                });
        Message own = anthropic(theirs.key()).messages().create(hello(MODEL));

        long charged = ((Number) platform(own._additionalProperties().get("x_platform")).get("credits_charged"))
                .longValue();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(theirs.poolBalance()).isEqualTo(theirsBefore - charged));
        assertThat(mine.poolBalance()).isEqualTo(mineBefore);
    }

    @Test
    void malformed_bodies_are_refused_with_a_400_in_anthropics_format_naming_the_field() {
        String hi = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"max_tokens\":5,\"messages\":" + hi + "}", "model"),
                Map.entry(body("\"messages\":" + hi), "max_tokens"),
                Map.entry(body("\"max_tokens\":0,\"messages\":" + hi), "max_tokens"),
                Map.entry(body("\"max_tokens\":\"ten\",\"messages\":" + hi), "max_tokens"),
                Map.entry(body("\"max_tokens\":5"), "messages"),
                Map.entry(body("\"max_tokens\":5,\"messages\":[]"), "messages"),
                Map.entry(body("\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]"),
                        "messages[0].role"),
                Map.entry(body("\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]"), "messages[0].content"),
                Map.entry(body("\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]"),
                        "messages[0].content[0]"),
                Map.entry(body("\"max_tokens\":5,\"system\":7,\"messages\":" + hi), "system"),
                Map.entry(body("\"max_tokens\":5,\"tools\":{},\"messages\":" + hi), "tools"),
                Map.entry(body("\"max_tokens\":5,\"stop_sequences\":[1],\"messages\":" + hi), "stop_sequences"),
                Map.entry(body("\"max_tokens\":5,\"stream\":\"yes\",\"messages\":" + hi), "stream"));
        refused.forEach((body, field) -> {
            HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", agent.key(),
                    body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.path("type").asString()).isEqualTo("error");
            assertThat(answer.path("error").path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(answer.path("error").path("details").path("param").asString()).as(body).isEqualTo(field);
            assertThat(answer.path("error").path("message").asString()).as(body).contains(field);
        });
        assertThat(anthropicError(RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", agent.key(),
                "{\"model\":")).path("type").asString()).isEqualTo("invalid_request_error");
        HttpResponse<String> get = RawHttp.send("GET", stack.gatewayA.baseUrl() + "/v1/messages", agent.key(), null,
                null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(anthropicError(get).path("type").asString()).isEqualTo("invalid_request_error");
        HttpResponse<String> form = RawHttp.send("POST", stack.gatewayA.baseUrl() + "/v1/messages", agent.key(),
                "text/plain", "hello");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(anthropicError(form).path("message").asString()).contains("Content-Type");
    }

    @Test
    void a_model_of_a_provider_speaking_neither_format_is_not_served_through_messages() {
        assertThatThrownBy(() -> anthropic(agent.key()).messages().create(hello("mock-model")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("mock-model").contains("not served through the Messages API");
                    assertThat(e.errorCode()).contains("model_not_supported");
                });
    }

    @Test
    void a_budget_that_cannot_take_the_request_is_402_billing_error_naming_the_budget() {
        TestAgent capped = TestAgent.create(stack, "Messages budget", 10_000);
        String budgetId = capped.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 3,
                "agent_id", capped.agentId())).path("id").asString();
        awaitKnown(capped.key());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThatThrownBy(() -> anthropic(capped.key()).messages().create(hello(MODEL)))
                        .isInstanceOfSatisfying(PaymentRequiredException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(402);
                            assertThat(e.getMessage()).contains(budgetId);
                        }));
        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/messages", capped.key(),
                body("\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"));
        assertThat(raw.statusCode()).isEqualTo(402);
        assertThat(anthropicError(raw).path("type").asString()).isEqualTo("billing_error");
    }

    @Test
    void the_rate_limit_applies_with_429() {
        TestAgent limited = TestAgent.create(stack, "Messages limited", 100_000);
        limited.owner().post("/policies", Map.of("agent_id", limited.agentId(), "allowed_models", List.of(MODEL),
                "rpm_limit", 2));
        awaitKnown(limited.key());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(GatewayIT.client(limited.key())
                .models().list().data()).extracting(m -> m.id()).containsExactly(MODEL));
        AnthropicClient client = anthropic(limited.key());

        // Five requests at two a minute: whatever the minute's turn, three fall in one window.
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                client.messages().create(hello(MODEL));
            }
        }).isInstanceOfSatisfying(RateLimitException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.headers().values("Retry-After")).isNotEmpty();
        });
    }

    @Test
    void count_tokens_answers_the_input_the_hold_uses_and_charges_nothing() {
        AnthropicClient client = anthropic(agent.key());
        String prompt = "Count these tokens, please: the quick brown fox jumps over the lazy dog.";

        long counted = client.messages().countTokens(MessageCountTokensParams.builder().model(MODEL)
                .system("Be brief.").addUserMessage(prompt).build()).inputTokens();
        Message answer = client.messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(10)
                .system("Be brief.").addUserMessage(prompt).build());

        Usage usage = answer.usage();
        assertThat(counted).as("an upper bound of what Anthropic bills").isGreaterThanOrEqualTo(usage.inputTokens());
        // The hold: the counted input at the dearest input rate (1.5 credits) + 10 output tokens at 2 credits.
        long held = BigDecimal.valueOf(counted * 15 + 10 * 20).divide(BigDecimal.TEN, 0, RoundingMode.CEILING)
                .longValueExact();
        assertThat(((Number) platform(answer._additionalProperties().get("x_platform")).get("credits_reserved"))
                .longValue()).isEqualTo(held);
        assertThatThrownBy(() -> client.messages().countTokens(MessageCountTokensParams.builder()
                .model("mock-model").addUserMessage(prompt).build())).isInstanceOf(BadRequestException.class);
    }

    @Test
    void request_records_name_the_messages_endpoint_and_hold_no_content() {
        TestAgent private_ = TestAgent.create(stack, "Private messages", 100_000);
        awaitKnown(private_.key());
        String secret = "my-secret-" + UUID.randomUUID();
        AnthropicClient strict = AnthropicOkHttpClient.builder().apiKey(private_.key())
                .baseUrl(stack.gatewayA.baseUrl()).putHeader("X-Privacy-Mode", "strict").maxRetries(0).build();

        strict.messages().create(hello(MODEL, secret));
        try (StreamResponse<RawMessageStreamEvent> stream = strict.messages().createStreaming(hello(MODEL, secret))) {
            stream.stream().forEach(event -> { });
        }
        assertThatThrownBy(() -> strict.messages().create(hello("mock-model", secret)))
                .isInstanceOf(AnthropicServiceException.class);

        List<JsonNode> records = ledger.requestRecords(private_.orgId(), r -> r.size() >= 3);
        assertThat(records).extracting(r -> r.path("endpoint").asString() + " " + r.path("stream").asBoolean() + " "
                + r.path("http_status").asInt())
                .containsExactlyInAnyOrder("messages false 200", "messages true 200", "messages false 400");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("privacy_strict").asBoolean()).isTrue();
            assertThat(r.toString()).doesNotContain(secret).doesNotContain(HonestUpstream.TEXT.strip());
        });
    }

    /**
     * Both replicas know the key (and the test model's price): count_tokens answers on both. Longer than chat's
     * wait, as the first request of a freshly started stack can take a while on a loaded machine.
     */
    private static void awaitKnown(String key) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (String base : List.of(stack.gatewayA.baseUrl(), stack.gatewayB.baseUrl())) {
                assertThat(AnthropicOkHttpClient.builder().apiKey(key).baseUrl(base).maxRetries(0).build()
                        .messages().countTokens(MessageCountTokensParams.builder().model(MODEL).addUserMessage("hi")
                                .build()).inputTokens()).isPositive();
            }
        });
    }

    private static String name(RawMessageStreamEvent event) {
        return event.isMessageStart() ? "message_start" : event.isContentBlockStart() ? "content_block_start"
                : event.isContentBlockDelta() ? "content_block_delta" : event.isContentBlockStop()
                ? "content_block_stop" : event.isMessageDelta() ? "message_delta" : event.isMessageStop()
                ? "message_stop" : "other";
    }

    private static AnthropicClient anthropic(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(stack.gatewayA.baseUrl()).maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    private static MessageCreateParams hello(String model) {
        return hello(model, "Hello");
    }

    private static MessageCreateParams hello(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(8).addUserMessage(text).build();
    }

    private static String body(String fields) {
        return "{\"model\":\"" + MODEL + "\"," + fields + "}";
    }

    private static JsonNode anthropicError(HttpResponse<String> response) {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asString()).as(response.body()).isEqualTo("error");
        return body.path("error");
    }

    /** The one request WireMock received whose body holds the marker. */
    private static LoggedRequest forwarded(String marker) {
        List<LoggedRequest> found = stack.upstream.findAll(postRequestedFor(urlEqualTo(MESSAGES))
                .withRequestBody(containing(marker)));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> platform(JsonValue value) {
        assertThat(value).as("x_platform").isNotNull();
        return value.convert(Map.class);
    }

    private static void assertCharged(Usage usage, Map<String, Object> platform) {
        assertCharged(usage.inputTokens(), usage.cacheReadInputTokens().orElse(0L),
                usage.cacheCreationInputTokens().orElse(0L), usage.outputTokens(), platform);
    }

    /**
     * x_platform and the ledger say the same charge: each kind of token at its rate, rounded up once; and the hold
     * covered it.
     */
    private static void assertCharged(long input, long cacheRead, long cacheWrite, long output,
            Map<String, Object> platform) {
        long credits = BigDecimal.valueOf(input * 10 + cacheRead * 5 + cacheWrite * 15 + output * 20)
                .divide(BigDecimal.TEN, 0, RoundingMode.CEILING).longValueExact();
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        assertThat(((Number) platform.get("credits_reserved")).longValue()).as("the hold covers the bill")
                .isGreaterThanOrEqualTo(credits);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(input + cacheRead + cacheWrite);
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(output);
    }
}

package dev.tally.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.tally.gateway.pricing.Tokenizer;
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
 * {@code POST /v1/responses} through the official OpenAI Java SDK, as OpenAI's Agents SDK and Codex call it: answered
 * as the provider answered (streams event by event, typed and named), charged exactly what the provider billed (cached
 * and reasoning tokens each at its rate), the body passed on as sent, and governed as chat is, every refusal in
 * OpenAI's error format.
 */
class ResponsesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * At 100 credits per USD: 1 credit per input token, 2 per output token, half a credit per cached input token, 3 per
     * reasoning token. A gpt-5 name, so the gateway counts with o200k_base as the provider does.
     */
    private static final String MODEL = "gpt-5-responses-it";
    private static final String RESPONSES = "/openai/v1/responses";
    private static GatewayStack stack;
    private static TestAgent agent;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/openai/" + MODEL, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20,
                "cached_input_usd_per_1k", 5, "reasoning_usd_per_1k", 30));
        stack.upstream.stubFor(post(urlEqualTo(RESPONSES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
        agent = TestAgent.create(stack, "Responses", 10_000_000);
        awaitKnown(agent.key());
    }

    @Test
    void a_response_is_answered_as_the_provider_sent_it_and_charged_exactly_what_it_billed() {
        HttpResponseFor<Response> raw = client(agent.key()).responses().withRawResponse().create(
                ResponseCreateParams.builder().model(MODEL).instructions("You answer in one word.")
                        .input("What is the capital of France?").maxOutputTokens(64).build());
        Response answer = raw.parse();

        assertThat(answer.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo(HonestUpstream.TEXT);
        assertThat(answer.model().asString()).isEqualTo(MODEL);
        ResponseUsage usage = answer.usage().orElseThrow();
        assertThat(usage.outputTokens()).isEqualTo(64);
        Map<String, Object> platform = platform(answer._additionalProperties().get("x_platform"));
        assertCharged(usage, platform);
        assertThat(raw.headers().values("x-tally-request-id")).containsExactly((String) platform.get("request_id"));
        assertThat(raw.headers().values("x-tally-credits-charged"))
                .containsExactly(String.valueOf(platform.get("credits_charged")));
        assertThat(raw.headers().values("x-tally-credits-reserved"))
                .containsExactly(String.valueOf(platform.get("credits_reserved")));
        assertThat(raw.headers().values("x-tally-provider")).containsExactly("openai");
    }

    @Test
    void reasoning_and_cached_tokens_are_charged_at_their_own_rates_under_the_gateway_prefix() {
        OpenAIClient prefixed = OpenAIOkHttpClient.builder().apiKey(agent.key())
                .baseUrl(stack.gatewayB.baseUrl() + "/gateway/v1").maxRetries(0).timeout(Duration.ofSeconds(120))
                .build();

        Response answer = prefixed.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Think about the capital of France, then answer in one word, please.")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build())
                .promptCacheKey("geography").maxOutputTokens(100).build());

        ResponseUsage usage = answer.usage().orElseThrow();
        assertThat(usage.inputTokensDetails().cachedTokens()).isPositive();
        assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(50);
        assertCharged(usage, platform(answer._additionalProperties().get("x_platform")));
    }

    @Test
    void a_stream_is_relayed_event_by_event_and_charged_from_response_completed() {
        List<String> types = new ArrayList<>();
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        Map<String, JsonValue> completed;
        try (StreamResponse<ResponseStreamEvent> stream = client(agent.key()).responses().createStreaming(
                ResponseCreateParams.builder().model(MODEL).input("Stream, please.").maxOutputTokens(40).build())) {
            List<ResponseStreamEvent> events = stream.stream().toList();
            events.forEach(event -> {
                accumulator.accumulate(event);
                types.add(name(event));
            });
            completed = events.get(events.size() - 1).asCompleted()._additionalProperties();
        }

        assertThat(types).first().isEqualTo("response.created");
        assertThat(types).contains("response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.output_item.done").last().isEqualTo("response.completed");
        Response response = accumulator.response();
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo(HonestUpstream.TEXT);
        assertCharged(response.usage().orElseThrow(), platform(completed.get("x_platform")));

        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", agent.key(), """
                {"model":"%s","max_output_tokens":5,"stream":true,"input":"hi"}""".formatted(MODEL));
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(raw.headers().firstValue("x-tally-credits-reserved")).isPresent();
        assertThat(raw.body()).contains("event:response.created", "event:response.in_progress",
                "event:response.output_text.delta", "event:response.completed").doesNotContain("[DONE]");
        assertThat(raw.body().strip()).endsWith("}").contains("\"x_platform\"");
    }

    @Test
    void a_stream_cut_before_response_completed_ends_with_an_error_event_and_is_charged_what_was_generated() {
        String broken = MODEL + "-broken";
        stack.platform().put("/pricing/openai/" + broken, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20));
        String generated = "Half an answer, then the connection";
        stack.upstream.stubFor(post(urlEqualTo(RESPONSES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(broken)))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody("""
                        event: response.created
                        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_cut",\
                        "object":"response","status":"in_progress","model":"%s","output":[],"usage":null}}

                        event: response.output_text.delta
                        data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_cut",\
                        "output_index":0,"content_index":0,"delta":"%s"}

                        """.formatted(broken, generated))));
        String body = "{\"model\":\"" + broken + "\",\"max_output_tokens\":50,\"stream\":true,"
                + "\"input\":\"Tell me everything.\"}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .retrieve(broken).id()).isEqualTo(broken));

        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", agent.key(), body);

        assertThat(raw.body()).contains("event:response.output_text.delta", "event:error", "response.completed")
                .doesNotContain("event:response.completed");
        // Held: the input's bound at 1 credit a token + 50 output tokens at 2.
        long prompt = Long.parseLong(raw.headers().firstValue("x-tally-credits-reserved").orElseThrow()) - 2 * 50;
        long output = new Tokenizer().count(broken, generated);
        JsonNode charge = ledger.charge(agent.orgId(), raw.headers().firstValue("x-tally-request-id").orElseThrow());
        assertThat(charge.path("tokens_in").asLong()).as("the prompt's bound").isEqualTo(prompt);
        assertThat(charge.path("tokens_out").asLong()).as("what was generated").isEqualTo(output);
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(prompt + 2 * output);

        try (StreamResponse<ResponseStreamEvent> stream = client(agent.key()).responses().createStreaming(
                ResponseCreateParams.builder().model(broken).input("Again.").maxOutputTokens(50).build())) {
            List<ResponseStreamEvent> events = stream.stream().toList();
            assertThat(events.get(events.size() - 1).isError()).as("the SDK reads the error event").isTrue();
            assertThat(events.get(events.size() - 1).asError().message()).contains("response.completed");
        }
    }

    @Test
    void tools_reasoning_and_stored_state_pass_to_the_provider_unchanged_with_the_platform_key() {
        String marker = "marker-" + UUID.randomUUID();
        Response first = client(agent.key()).responses().create(ResponseCreateParams.builder().model(MODEL)
                .input(marker).store(true).maxOutputTokens(20)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .addTool(FunctionTool.builder().name("get_weather").strict(false)
                        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type",
                                JsonValue.from("object")).build()).build())
                .build());

        JsonNode forwarded = JSON.readTree(forwarded(marker).getBodyAsString());
        assertThat(forwarded.path("tools").get(0).path("name").asString()).isEqualTo("get_weather");
        assertThat(forwarded.path("reasoning").path("effort").asString()).isEqualTo("low");
        assertThat(forwarded.path("store").asBoolean()).isTrue();
        assertThat(forwarded(marker).getHeader("Authorization")).as("the platform's key, never the gateway key")
                .isEqualTo("Bearer sk-platform-openai");

        // Byte for byte: what a client sends is what the provider gets, whatever fields it uses.
        String sent = """
                {"model":"%s","max_output_tokens":30,"previous_response_id":"%s","store":true,
                 "instructions":"Be brief.",
                 "input":[{"role":"user","content":[{"type":"input_text","text":"%s"}]},
                  {"type":"function_call_output","call_id":"call_1","output":"Sunny"}],
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"},"strict":false}],
                 "tool_choice":"auto","reasoning":{"effort":"low","summary":"auto"},"metadata":{"run":"r-1"},
                 "text":{"format":{"type":"text"}},"temperature":0.5,"future_field":[1,2]}"""
                .formatted(MODEL, first.id(), marker + "-raw");
        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", agent.key(), sent);
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        assertThat(JSON.readTree(forwarded(marker + "-raw").getBodyAsString())).isEqualTo(JSON.readTree(sent));
        assertThat(JSON.readTree(raw.body()).path("previous_response_id").asString()).isEqualTo(first.id());
    }

    @Test
    void continuing_a_stored_response_is_held_for_what_the_provider_stored() {
        Response first = client(agent.key()).responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Remember the number 42.").maxOutputTokens(200).build());
        ResponseUsage stored = first.usage().orElseThrow();

        Response next = client(agent.key()).responses().create(ResponseCreateParams.builder().model(MODEL)
                .previousResponseId(first.id()).input("Which number?").maxOutputTokens(10).build());
        long reserved = ((Number) platform(next._additionalProperties().get("x_platform")).get("credits_reserved"))
                .longValue();
        // Its own input, + everything the first was billed (input and output) at 1 credit, + 10 output at 3.
        assertThat(reserved).isGreaterThanOrEqualTo(stored.inputTokens() + stored.outputTokens() + 30)
                .isLessThan(128_000);

        HttpResponse<String> unknown = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", agent.key(), """
                {"model":"%s","max_output_tokens":10,"previous_response_id":"resp_elsewhere","input":"Which?"}"""
                .formatted(MODEL));
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(200);
        assertThat(Long.parseLong(unknown.headers().firstValue("x-tally-credits-reserved").orElseThrow()))
                .as("a response the gateway did not answer: the stored-context bound").isGreaterThan(128_000);
    }

    @Test
    void max_output_tokens_is_capped_by_the_policy_and_a_model_the_policy_forbids_is_403() {
        TestAgent capped = TestAgent.create(stack, "Responses capped", 100_000);
        capped.owner().post("/policies", Map.of("agent_id", capped.agentId(), "allowed_models", List.of(MODEL),
                "max_output_tokens", 20));
        awaitKnown(capped.key());
        OpenAIClient client = client(capped.key());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() -> client.responses()
                .create(hello("gpt-4o-mini"))).isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("allowed models");
                }));
        Response answer = client.responses().create(ResponseCreateParams.builder().model(MODEL).input("Hi")
                .maxOutputTokens(1000).build());

        assertThat(answer.usage().orElseThrow().outputTokens()).isEqualTo(20);
        stack.upstream.verify(postRequestedFor(urlEqualTo(RESPONSES)).withRequestBody(matchingJsonPath("$.model",
                equalTo(MODEL))).withRequestBody(matchingJsonPath("$.max_output_tokens", equalTo("20"))));
    }

    @Test
    void without_a_valid_key_the_answer_is_401_in_openais_format() {
        HttpResponse<String> none = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", null,
                "{\"model\":\"" + MODEL + "\",\"input\":\"hi\"}");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(RawHttp.error(none).path("type").asString()).isEqualTo("authentication_error");
        assertThat(RawHttp.error(none).path("message").asString()).isNotBlank();
        assertThatThrownBy(() -> client("cpk_not-a-key").responses().create(hello(MODEL)))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void another_organisations_key_cannot_use_this_ones_projects_or_stored_responses() {
        TestAgent mine = TestAgent.create(stack, "Mine (responses)", 10_000);
        String project = mine.owner().post("/orgs/" + mine.orgId() + "/projects", Map.of("name", "Secret"))
                .path("id").asString();
        awaitKnown(mine.key());
        Response myResponse = client(mine.key()).responses().create(hello(MODEL));
        TestAgent theirs = TestAgent.create(stack, "Theirs (responses)", 100_000);
        awaitKnown(theirs.key());
        OpenAIClient intruder = OpenAIOkHttpClient.builder().apiKey(theirs.key())
                .baseUrl(stack.gatewayA.baseUrl() + "/v1").putHeader("X-Project-ID", project).maxRetries(0).build();
        long theirsBefore = theirs.poolBalance();
        long mineBefore = mine.poolBalance();

        assertThatThrownBy(() -> intruder.responses().create(hello(MODEL)))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("unknown_project");
                    assertThat(e.getMessage()).contains("not a project of your organisation");
                });
        assertThatThrownBy(() -> client(theirs.key()).responses().create(ResponseCreateParams.builder().model(MODEL)
                .previousResponseId(myResponse.id()).input("What did they say?").maxOutputTokens(8).build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("previous_response_not_found");
                    assertThat(e.getMessage()).contains(myResponse.id());
                });
        stack.upstream.verify(0, postRequestedFor(urlEqualTo(RESPONSES))
                .withRequestBody(containing("What did they say?")));
        Response own = client(theirs.key()).responses().create(hello(MODEL));

        long charged = ((Number) platform(own._additionalProperties().get("x_platform")).get("credits_charged"))
                .longValue();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(theirs.poolBalance()).isEqualTo(theirsBefore - charged));
        assertThat(mine.poolBalance()).isEqualTo(mineBefore);
    }

    @Test
    void malformed_bodies_are_refused_with_a_400_naming_the_parameter_and_nothing_is_held() throws Exception {
        TestAgent careless = TestAgent.create(stack, "Responses malformed", 100_000);
        awaitKnown(careless.key());
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"input\":\"hi\"}", "model"),
                Map.entry("{\"model\":7,\"input\":\"hi\"}", "model"),
                Map.entry(body("\"max_output_tokens\":5"), "input"),
                Map.entry(body("\"input\":7"), "input"),
                Map.entry(body("\"input\":{\"role\":\"user\"}"), "input"),
                Map.entry(body("\"input\":[\"hi\"]"), "input[0]"),
                Map.entry(body("\"input\":[{\"content\":\"hi\"}]"), "input[0]"),
                Map.entry(body("\"input\":[{\"role\":\"robot\",\"content\":\"hi\"}]"), "input[0].role"),
                Map.entry(body("\"input\":[{\"role\":\"user\",\"content\":7}]"), "input[0].content"),
                Map.entry(body("\"input\":[{\"role\":\"user\",\"content\":[\"x\"]}]"), "input[0].content[0]"),
                Map.entry(body("\"input\":\"hi\",\"max_output_tokens\":-5"), "max_output_tokens"),
                Map.entry(body("\"input\":\"hi\",\"max_output_tokens\":0"), "max_output_tokens"),
                Map.entry(body("\"input\":\"hi\",\"max_output_tokens\":99999999999"), "max_output_tokens"),
                Map.entry(body("\"input\":\"hi\",\"max_output_tokens\":\"ten\""), "max_output_tokens"),
                Map.entry(body("\"input\":\"hi\",\"instructions\":[1]"), "instructions"),
                Map.entry(body("\"input\":\"hi\",\"tools\":{}"), "tools"),
                Map.entry(body("\"input\":\"hi\",\"tools\":[{\"name\":\"f\"}]"), "tools[0]"),
                Map.entry(body("\"input\":\"hi\",\"stream\":\"yes\""), "stream"),
                Map.entry(body("\"input\":\"hi\",\"previous_response_id\":5"), "previous_response_id"),
                Map.entry(body("\"input\":\"hi\",\"background\":true"), "background"));
        refused.forEach((body, field) -> {
            HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses",
                    careless.key(), body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asString()).as(body).isEqualTo(field);
            assertThat(error.path("message").asString()).as(body).contains(field);
        });
        HttpResponse<String> notJson = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", careless.key(),
                "{\"model\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(RawHttp.error(notJson).path("code").asString()).isEqualTo("invalid_json");
        HttpResponse<String> unknown = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", careless.key(),
                "{\"model\":\"no-such-model\",\"input\":\"hi\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(RawHttp.error(unknown).path("param").asString()).isEqualTo("model");
        assertThatThrownBy(() -> client(careless.key()).responses().create(hello("no-such-model")))
                .isInstanceOf(NotFoundException.class);

        assertThat(careless.poolBalance()).isEqualTo(100_000);
        assertThat(ledger.openReservations(careless.orgId())).isZero();
        assertThat(eventTypes(careless.orgId())).noneMatch(type -> type.contains("Reserv") || type.contains("Lease"));
    }

    @Test
    void an_anthropic_model_is_refused_with_a_clear_400_and_nothing_is_held() throws Exception {
        TestAgent claude = TestAgent.create(stack, "Responses claude", 100_000);
        awaitKnown(claude.key());

        assertThatThrownBy(() -> client(claude.key()).responses().create(hello("claude-sonnet-4-5")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("model_not_supported");
                    assertThat(e.getMessage()).contains("claude-sonnet-4-5")
                            .contains("does not serve the Responses API");
                    assertThat(e.param()).contains("model");
                });

        assertThat(claude.poolBalance()).isEqualTo(100_000);
        assertThat(eventTypes(claude.orgId())).noneMatch(type -> type.contains("Reserv") || type.contains("Lease"));
    }

    @Test
    void a_budget_that_cannot_take_the_request_is_402() {
        TestAgent capped = TestAgent.create(stack, "Responses budget", 10_000);
        String budgetId = capped.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 3,
                "agent_id", capped.agentId())).path("id").asString();
        awaitKnown(capped.key());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThatThrownBy(() -> client(capped.key()).responses().create(hello(MODEL)))
                        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(402);
                            assertThat(e.getMessage()).contains(budgetId);
                        }));
        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/responses", capped.key(),
                body("\"max_output_tokens\":50,\"input\":\"hi\",\"stream\":true"));
        assertThat(raw.statusCode()).isEqualTo(402);
        assertThat(RawHttp.error(raw).path("code").asString()).isNotBlank();
    }

    @Test
    void the_rate_limit_applies_with_429() {
        TestAgent limited = TestAgent.create(stack, "Responses limited", 100_000);
        limited.owner().post("/policies", Map.of("agent_id", limited.agentId(), "allowed_models", List.of(MODEL),
                "rpm_limit", 2));
        awaitKnown(limited.key());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(GatewayIT.client(limited.key())
                .models().list().data()).extracting(m -> m.id()).containsExactly(MODEL));
        OpenAIClient client = client(limited.key());

        // Five requests at two a minute: whatever the minute's turn, three fall in one window.
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                client.responses().create(hello(MODEL));
            }
        }).isInstanceOfSatisfying(RateLimitException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.headers().values("Retry-After")).isNotEmpty();
        });
    }

    @Test
    void request_records_name_the_responses_endpoint_and_hold_no_content() {
        TestAgent private_ = TestAgent.create(stack, "Private responses", 100_000);
        awaitKnown(private_.key());
        String secret = "my-secret-" + UUID.randomUUID();
        OpenAIClient strict = OpenAIOkHttpClient.builder().apiKey(private_.key())
                .baseUrl(stack.gatewayA.baseUrl() + "/v1").putHeader("X-Privacy-Mode", "strict").maxRetries(0)
                .build();

        strict.responses().create(hello(MODEL, secret));
        try (StreamResponse<ResponseStreamEvent> stream = strict.responses().createStreaming(hello(MODEL, secret))) {
            stream.stream().forEach(event -> { });
        }
        assertThatThrownBy(() -> strict.responses().create(hello("claude-sonnet-4-5", secret)))
                .isInstanceOf(OpenAIServiceException.class);

        List<JsonNode> records = ledger.requestRecords(private_.orgId(), r -> r.size() >= 3);
        assertThat(records).extracting(r -> r.path("endpoint").asString() + " " + r.path("stream").asBoolean() + " "
                + r.path("http_status").asInt())
                .containsExactlyInAnyOrder("responses false 200", "responses true 200", "responses false 400");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("privacy_strict").asBoolean()).isTrue();
            assertThat(r.toString()).doesNotContain(secret).doesNotContain(HonestUpstream.TEXT.strip());
        });
    }

    /** Both replicas know the key and the test model: it is listed on both. */
    private static void awaitKnown(String key) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (String base : List.of(stack.gatewayA.baseUrl(), stack.gatewayB.baseUrl())) {
                assertThat(OpenAIOkHttpClient.builder().apiKey(key).baseUrl(base + "/v1").maxRetries(0).build()
                        .models().retrieve(MODEL).id()).isEqualTo(MODEL);
            }
        });
    }

    private static String name(ResponseStreamEvent event) {
        return event.isCreated() ? "response.created" : event.isInProgress() ? "response.in_progress"
                : event.isOutputItemAdded() ? "response.output_item.added" : event.isContentPartAdded()
                ? "response.content_part.added" : event.isOutputTextDelta() ? "response.output_text.delta"
                : event.isOutputTextDone() ? "response.output_text.done" : event.isContentPartDone()
                ? "response.content_part.done" : event.isOutputItemDone() ? "response.output_item.done"
                : event.isCompleted() ? "response.completed" : "other";
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(stack.gatewayA.baseUrl() + "/v1").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    private static ResponseCreateParams hello(String model) {
        return hello(model, "Hello");
    }

    private static ResponseCreateParams hello(String model, String text) {
        return ResponseCreateParams.builder().model(model).input(text).maxOutputTokens(16).build();
    }

    private static String body(String fields) {
        return "{\"model\":\"" + MODEL + "\"," + fields + "}";
    }

    private static List<String> eventTypes(String orgId) throws Exception {
        return ledger.events(orgId).stream().map(event -> event.path("type").asString()).toList();
    }

    /** The one request WireMock received whose body holds the marker. */
    private static LoggedRequest forwarded(String marker) {
        List<LoggedRequest> found = stack.upstream.findAll(postRequestedFor(urlEqualTo(RESPONSES))
                .withRequestBody(containing(marker)));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> platform(JsonValue value) {
        assertThat(value).as("x_platform").isNotNull();
        return value.convert(Map.class);
    }

    /**
     * x_platform and the ledger say the same charge: uncached input at 10 USD per 1k tokens, cached at 5, visible
     * output at 20, reasoning at 30, rounded up once; and the hold covered it.
     */
    private static void assertCharged(ResponseUsage usage, Map<String, Object> platform) {
        long cached = usage.inputTokensDetails().cachedTokens();
        long reasoning = usage.outputTokensDetails().reasoningTokens();
        long credits = BigDecimal.valueOf((usage.inputTokens() - cached) * 10 + cached * 5
                        + (usage.outputTokens() - reasoning) * 20 + reasoning * 30)
                .divide(BigDecimal.TEN, 0, RoundingMode.CEILING).longValueExact();
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        assertThat(((Number) platform.get("credits_reserved")).longValue()).as("the hold covers the bill")
                .isGreaterThanOrEqualTo(credits);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(usage.inputTokens());
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(usage.outputTokens());
    }
}

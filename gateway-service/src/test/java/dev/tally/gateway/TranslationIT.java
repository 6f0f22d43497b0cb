package dev.tally.gateway;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
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
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Translation between formats through the official SDKs: OpenAI's Java SDK asking a Claude model for tool calls on
 * /v1/chat/completions (the fake Anthropic upstream answers only the translated body it expects), and Anthropic's
 * Java SDK asking an OpenAI-compatible model on /v1/messages (the fake OpenAI upstream likewise), streamed and not.
 * Each answer is charged exactly the usage the fake billed, at the model's price.
 */
class TranslationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** At 100 credits per USD, both models cost 1 credit per input token and 2 per output token. */
    private static final String CLAUDE = "claude-translate-it";
    private static final String GPT = "gpt-translate-it";
    private static final String ANTHROPIC = "/anthropic/v1/messages";
    private static final String OPENAI = "/openai/v1/chat/completions";
    private static GatewayStack stack;
    private static TestAgent agent;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/anthropic/" + CLAUDE, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20));
        stack.platform().put("/pricing/openai/" + GPT, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20,
                "cached_input_usd_per_1k", 5));
        agent = TestAgent.create(stack, "Translation", 10_000_000);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (String base : List.of(stack.gatewayA.baseUrl(), stack.gatewayB.baseUrl())) {
                for (String model : List.of(CLAUDE, GPT)) {
                    assertThat(AnthropicOkHttpClient.builder().apiKey(agent.key()).baseUrl(base).maxRetries(0)
                            .build().messages().countTokens(MessageCountTokensParams.builder().model(model)
                                    .addUserMessage("hi").build()).inputTokens()).isPositive();
                }
            }
        });
    }

    @Test
    void openai_sdk_tool_calls_on_a_claude_model_are_translated_both_ways_and_charged_what_anthropic_billed() {
        String marker = "weather-" + UUID.randomUUID();
        stack.upstream.stubFor(post(urlEqualTo(ANTHROPIC)).atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.system", equalTo("You report the weather.")))
                .withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("get_weather")))
                .withRequestBody(matchingJsonPath("$.tools[0].input_schema.required[0]", equalTo("city")))
                .withRequestBody(matchingJsonPath("$.tool_choice.type", equalTo("any")))
                .withRequestBody(matchingJsonPath("$.messages[1].content[0].type", equalTo("tool_use")))
                .withRequestBody(matchingJsonPath("$.messages[1].content[0].input.city", equalTo("Paris")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].type", equalTo("tool_result")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].tool_use_id", equalTo("call_paris")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[1].text", containing(marker)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"msg_01","type":"message","role":"assistant","model":"%s",
                         "content":[{"type":"text","text":"Checking Boston too."},
                           {"type":"tool_use","id":"toolu_boston","name":"get_weather","input":{"city":"Boston"}}],
                         "stop_reason":"tool_use","stop_sequence":null,
                         "usage":{"input_tokens":321,"output_tokens":45}}""".formatted(CLAUDE))));

        ChatCompletion answer = GatewayIT.client(agent.key()).chat().completions().create(weatherTurn(marker)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        var choice = answer.choices().get(0);
        assertThat(choice.finishReason().asString()).isEqualTo("tool_calls");
        assertThat(choice.message().content()).contains("Checking Boston too.");
        ChatCompletionMessageToolCall call = choice.message().toolCalls().orElseThrow().get(0);
        assertThat(call.asFunction().id()).isEqualTo("toolu_boston");
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.asFunction().function().arguments()).path("city").asString())
                .isEqualTo("Boston");
        assertThat(answer.usage().orElseThrow().promptTokens()).isEqualTo(321);
        assertCharged(platform(answer._additionalProperties().get("x_platform")), 321, 45);
    }

    @Test
    void a_streamed_tool_call_from_a_claude_model_reaches_the_openai_sdk_as_tool_call_chunks() {
        String marker = "stream-weather-" + UUID.randomUUID();
        stack.upstream.stubFor(post(urlEqualTo(ANTHROPIC)).atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].type", equalTo("tool_result")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(anthropicEvents(
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\","
                                + "\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\",\"content\":[],"
                                + "\"usage\":{\"input_tokens\":250,\"output_tokens\":1}}}",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                                + "\"id\":\"toolu_s\",\"name\":\"get_weather\",\"input\":{}}}",
                        "{\"type\":\"ping\"}",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                                + "\"partial_json\":\"{\\\"city\\\": \"}}",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                                + "\"partial_json\":\"\\\"Boston\\\"}\"}}",
                        "{\"type\":\"content_block_stop\",\"index\":0}",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                                + "\"usage\":{\"output_tokens\":33}}",
                        "{\"type\":\"message_stop\"}"))));

        StringBuilder arguments = new StringBuilder();
        List<String> ids = new ArrayList<>();
        List<String> finishReasons = new ArrayList<>();
        List<Map<String, Object>> platforms = new ArrayList<>();
        try (var stream = GatewayIT.client(agent.key()).chat().completions().createStreaming(weatherTurn(marker)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> {
                        assertThat(call.index()).isZero();
                        call.id().ifPresent(ids::add);
                        call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                                .ifPresent(arguments::append);
                    }));
                    c.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                }
                if (chunk._additionalProperties().containsKey("x_platform")) {
                    platforms.add(platform(chunk._additionalProperties().get("x_platform")));
                }
            });
        }

        assertThat(ids).containsExactly("toolu_s");
        assertThat(JSON.readTree(arguments.toString()).path("city").asString()).isEqualTo("Boston");
        assertThat(finishReasons).containsExactly("tool_calls");
        assertThat(platforms).hasSize(1);
        assertCharged(platforms.get(0), 250, 33);
    }

    @Test
    void a_json_schema_response_format_on_a_claude_model_is_answered_as_json_content() {
        String marker = "event-" + UUID.randomUUID();
        stack.upstream.stubFor(post(urlEqualTo(ANTHROPIC)).atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("calendar_event")))
                .withRequestBody(matchingJsonPath("$.tool_choice.name", equalTo("calendar_event")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"msg_03","type":"message","role":"assistant","model":"%s",
                         "content":[{"type":"tool_use","id":"toolu_f","name":"calendar_event",
                                     "input":{"name":"Science fair","day":"Friday"}}],
                         "stop_reason":"tool_use","usage":{"input_tokens":120,"output_tokens":18}}"""
                        .formatted(CLAUDE))));

        HttpResponse<String> raw = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/chat/completions", agent.key(),
                """
                {"model":"%s","max_tokens":100,"messages":[{"role":"user","content":"%s"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"calendar_event",
                   "schema":{"type":"object","properties":{"name":{"type":"string"},"day":{"type":"string"}}}}}}"""
                        .formatted(CLAUDE, marker));

        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        JsonNode choice = JSON.readTree(raw.body()).path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(JSON.readTree(choice.path("message").path("content").asString()).path("name").asString())
                .isEqualTo("Science fair");
    }

    @Test
    void untranslatable_chat_requests_get_a_400_in_openai_format_naming_the_field_and_reach_no_provider() {
        String marker = "bad-" + UUID.randomUUID();
        HttpResponse<String> badArguments = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/chat/completions",
                agent.key(), """
                {"model":"%s","messages":[{"role":"user","content":"%s"},
                  {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{city: Paris"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}""".formatted(CLAUDE, marker));
        HttpResponse<String> forcedTool = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/chat/completions",
                agent.key(), """
                {"model":"%s","messages":[{"role":"user","content":"%s"}],
                 "tools":[{"type":"function","function":{"name":"get_weather"}}],"tool_choice":"required",
                 "response_format":{"type":"json_object"}}""".formatted(CLAUDE, marker));

        assertThat(badArguments.statusCode()).as(badArguments.body()).isEqualTo(400);
        assertThat(RawHttp.error(badArguments).path("param").asString())
                .isEqualTo("messages[1].tool_calls[0].function.arguments");
        assertThat(forcedTool.statusCode()).as(forcedTool.body()).isEqualTo(400);
        JsonNode error = RawHttp.error(forcedTool);
        assertThat(error.path("param").asString()).isEqualTo("response_format");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(stack.upstream.findAll(postRequestedFor(urlEqualTo(ANTHROPIC))
                .withRequestBody(containing(marker)))).isEmpty();
    }

    @Test
    void anthropic_sdk_tools_on_an_openai_model_are_translated_both_ways_and_charged_what_openai_billed() {
        String marker = "ls-" + UUID.randomUUID();
        stack.upstream.stubFor(post(urlEqualTo(OPENAI)).atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.model", equalTo(GPT)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("300")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.tools[0].type", equalTo("function")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("Bash")))
                .withRequestBody(matchingJsonPath("$.tool_choice", equalTo("required")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-t1","object":"chat.completion","created":1,"model":"%s",
                         "choices":[{"index":0,"finish_reason":"tool_calls",
                           "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_ls",
                             "type":"function","function":{"name":"Bash","arguments":"{\\"command\\":\\"ls\\"}"}}]}}],
                         "usage":{"prompt_tokens":200,"completion_tokens":30,"total_tokens":230,
                                  "prompt_tokens_details":{"cached_tokens":100}}}""".formatted(GPT))));

        Message answer = anthropic().messages().create(MessageCreateParams.builder().model(GPT).maxTokens(300)
                .system("You run commands.").addUserMessage("List the files. " + marker).addTool(bash())
                .toolChoice(com.anthropic.models.messages.ToolChoiceAny.builder().build()).build());

        assertThat(answer.stopReason().orElseThrow().asString()).isEqualTo("tool_use");
        ToolUseBlock use = answer.content().get(0).toolUse().orElseThrow();
        assertThat(use.id()).isEqualTo("call_ls");
        assertThat(use.name()).isEqualTo("Bash");
        assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("command", "ls"));
        assertThat(answer.usage().inputTokens()).isEqualTo(100);
        assertThat(answer.usage().cacheReadInputTokens()).contains(100L);
        assertThat(answer.usage().outputTokens()).isEqualTo(30);
        // 100 uncached at 1 credit, 100 cached at half a credit, 30 output at 2.
        assertCharged(platform(answer._additionalProperties().get("x_platform")), 200, 30, 100 + 50 + 60);
    }

    @Test
    void a_claude_code_shaped_stream_to_an_openai_model_is_answered_in_messages_events_and_charged() {
        String marker = "claude-code-" + UUID.randomUUID();
        stack.upstream.stubFor(post(urlEqualTo(OPENAI)).atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("You are Claude Code")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("Bash")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(openAiEvents(
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                                + "\"finish_reason\":null}]}",
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Listing.\"},"
                                + "\"finish_reason\":null}]}",
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":"
                                + "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":"
                                + "\"\"}}]},\"finish_reason\":null}]}",
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                                + "{\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}]},\"finish_reason\":null}]}",
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                        "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
                                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":410,\"completion_tokens\":22,"
                                + "\"total_tokens\":432}}",
                        "[DONE]"))));

        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events;
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages().createStreaming(
                MessageCreateParams.builder().model(GPT).maxTokens(2000)
                        .systemOfTextBlockParams(List.of(
                                TextBlockParam.builder().text("You are Claude Code, Anthropic's official CLI.")
                                        .build(),
                                TextBlockParam.builder().text("Work in /repo. " + marker)
                                        .cacheControl(CacheControlEphemeral.builder().build()).build()))
                        .addUserMessage("List the files").addTool(bash())
                        .metadata(com.anthropic.models.messages.Metadata.builder().userId("session-1").build())
                        .build())) {
            events = stream.stream().toList();
        }
        events.forEach(accumulator::accumulate);

        assertThat(events.get(0).isMessageStart()).isTrue();
        assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
        Message message = accumulator.message();
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Listing.");
        ToolUseBlock use = message.content().get(1).toolUse().orElseThrow();
        assertThat(use.id()).isEqualTo("call_1");
        assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("command", "ls"));
        assertThat(message.stopReason().orElseThrow().asString()).isEqualTo("tool_use");
        assertThat(message.usage().outputTokens()).isEqualTo(22);
        Map<String, JsonValue> stop = events.get(events.size() - 1).asMessageStop()._additionalProperties();
        assertCharged(platform(stop.get("x_platform")), 410, 22);
        stack.upstream.verify(postRequestedFor(urlEqualTo(OPENAI)).withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.user", equalTo("session-1"))));
    }

    @Test
    void count_tokens_for_an_openai_model_is_the_gateway_count_of_the_translated_request() {
        long tokens = anthropic().messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .system("You run commands.").addUserMessage("List the files in this repository, please.")
                .addTool(bash()).build())
                .inputTokens();
        long without = anthropic().messages().countTokens(MessageCountTokensParams.builder().model(GPT)
                .system("You run commands.").addUserMessage("List the files in this repository, please.").build())
                .inputTokens();

        assertThat(without).isPositive();
        assertThat(tokens).as("the tool's definition is counted").isGreaterThan(without);
    }

    private static ChatCompletionCreateParams.Builder weatherTurn(String marker) {
        return ChatCompletionCreateParams.builder().model(CLAUDE).maxCompletionTokens(200)
                .addSystemMessage("You report the weather.")
                .addUserMessage("Weather in Paris?")
                .addMessage(com.openai.models.chat.completions.ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageToolCall.ofFunction(
                                com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall.builder()
                                        .id("call_paris").function(com.openai.models.chat.completions
                                                .ChatCompletionMessageFunctionToolCall.Function.builder()
                                                .name("get_weather").arguments("{\"city\":\"Paris\"}").build())
                                        .build()))
                        .build())
                .addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                        .toolCallId("call_paris").content("18 C, sunny").build())
                .addUserMessage("And Boston? " + marker)
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_weather").description("Current weather of a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                                        Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("city")))
                                .build())
                        .build()).build());
    }

    private static Tool bash() {
        return Tool.builder().name("Bash").description("Runs a shell command")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("command", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("command"))).build())
                .build();
    }

    private static AnthropicClient anthropic() {
        return AnthropicOkHttpClient.builder().apiKey(agent.key()).baseUrl(stack.gatewayA.baseUrl()).maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    private static String anthropicEvents(String... data) {
        StringBuilder body = new StringBuilder();
        for (String d : data) {
            body.append("event: ").append(JSON.readTree(d).path("type").asString()).append("\ndata: ").append(d)
                    .append("\n\n");
        }
        return body.toString();
    }

    private static String openAiEvents(String... data) {
        StringBuilder body = new StringBuilder();
        for (String d : data) {
            body.append("data: ").append(d).append("\n\n");
        }
        return body.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> platform(Object value) {
        assertThat(value).as("x_platform").isNotNull();
        if (value instanceof JsonValue anthropic) {
            return anthropic.convert(Map.class);
        }
        return ((com.openai.core.JsonValue) value).convert(Map.class);
    }

    private static void assertCharged(Map<String, Object> platform, long input, long output) {
        assertCharged(platform, input, output, input + 2 * output);
    }

    /** x_platform and the ledger say the same charge, the price of the usage the fake billed; the hold covered it. */
    private static void assertCharged(Map<String, Object> platform, long input, long output, long credits) {
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        assertThat(((Number) platform.get("credits_reserved")).longValue()).as("the hold covers the bill")
                .isGreaterThanOrEqualTo(credits);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(input);
        assertThat(charge.path("tokens_out").asLong()).isEqualTo(output);
    }
}

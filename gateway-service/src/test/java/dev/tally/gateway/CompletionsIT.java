package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
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

/**
 * {@code POST /v1/completions}, OpenAI's legacy completions, through the official SDK: plain, several choices
 * (n, best_of), echoed, several prompts and streamed, each charged what the (honest) provider billed and held at
 * least that; a stream whose client leaves or that runs too long is charged what was generated, as chat's.
 */
class CompletionsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One credit per prompt token, two per completion token (100 credits per USD). */
    private static final String EXACT = "gpt-3.5-turbo-instruct-it";
    private static GatewayStack stack;
    private static TestAgent agent;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/openai/" + EXACT, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20));
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/completions")).atPriority(5)
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
        agent = TestAgent.create(stack, "Completions", 1_000_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains(EXACT));
    }

    @Test
    void a_prompt_is_completed_and_charged_what_the_provider_billed() {
        String prompt = "Write a tagline for an ice cream shop:";

        Completion completion = GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model(EXACT).prompt(prompt).maxTokens(50).stop(".").build());

        long promptTokens = new Tokenizer().count(EXACT, prompt);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).text()).isEqualTo(HonestUpstream.TEXT);
        assertThat(completion.usage()).get().satisfies(u -> {
            assertThat(u.promptTokens()).isEqualTo(promptTokens);
            assertThat(u.completionTokens()).isEqualTo(50);
        });
        assertCharged(completion, promptTokens + 2 * 50);
        stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-platform-openai"))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo(prompt)))
                .withRequestBody(matchingJsonPath("$.stop", equalTo(".")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("50"))));
    }

    @Test
    void without_max_tokens_openais_default_of_16_is_held_and_sent() {
        String prompt = "Default length, please";

        Completion completion = GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model(EXACT).prompt(prompt).build());

        assertCharged(completion, new Tokenizer().count(EXACT, prompt) + 2 * 16);
        stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/completions"))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo(prompt)))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("16"))));
    }

    @Test
    void best_of_candidates_are_held_and_charged_and_n_of_them_answered() {
        String prompt = "Name a colour:";

        Completion completion = GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model(EXACT).prompt(prompt).maxTokens(10).n(2).bestOf(3).build());

        assertThat(completion.choices()).hasSize(2);
        assertThat(completion.usage()).get().satisfies(u -> assertThat(u.completionTokens()).isEqualTo(30));
        assertCharged(completion, new Tokenizer().count(EXACT, prompt) + 2 * 30);
    }

    @Test
    void several_prompts_echoed_are_each_completed_and_their_echo_held() {
        List<String> prompts = List.of("One prompt", "and a second, longer prompt");

        Completion completion = GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model(EXACT).promptOfArrayOfStrings(prompts).maxTokens(5).n(2).echo(true).suffix(" end").build());

        Tokenizer tokenizer = new Tokenizer();
        long promptTokens = prompts.stream().mapToLong(p -> tokenizer.count(EXACT, p)).sum();
        long suffix = tokenizer.count(EXACT, " end");
        assertThat(completion.choices()).hasSize(4);
        // every choice echoes its prompt: 2 × (5 + prompt) per prompt
        assertCharged(completion, promptTokens + 2 * suffix + 2 * (2 * 2 * 5 + 2 * promptTokens));
    }

    @Test
    void token_prompts_count_themselves() {
        Completion completion = GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model(EXACT).promptOfArrayOfTokenArrays(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L)))
                .maxTokens(4).build());

        assertThat(completion.choices()).hasSize(2);
        assertCharged(completion, 5 + 2 * (2 * 4));
    }

    @Test
    void a_stream_relays_the_chunks_and_its_usage_chunk_carries_the_charge() {
        String prompt = "Stream a short poem";
        List<String> texts = new ArrayList<>();
        List<Completion> withUsage = new ArrayList<>();

        try (StreamResponse<Completion> stream = GatewayIT.client(agent.key()).completions().createStreaming(
                CompletionCreateParams.builder().model(EXACT).prompt(prompt).maxTokens(20).n(2)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> texts.add(c.text()));
                if (chunk.usage().isPresent()) {
                    withUsage.add(chunk);
                }
            });
        }

        assertThat(texts).containsExactly(HonestUpstream.TEXT, HonestUpstream.TEXT);
        assertThat(withUsage).singleElement().satisfies(chunk -> assertCharged(chunk,
                new Tokenizer().count(EXACT, prompt) + 2 * (2 * 20)));
    }

    @Test
    void a_stream_the_client_did_not_ask_usage_for_is_charged_the_usage_the_gateway_asked_for() {
        String prompt = "A stream without usage options";
        TestAgent own = TestAgent.create(stack, "Stream without usage", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();

        try (StreamResponse<Completion> stream = GatewayIT.client(own.key()).completions().createStreaming(
                CompletionCreateParams.builder().model(EXACT).prompt(prompt).maxTokens(7).build())) {
            assertThat(stream.stream().filter(chunk -> chunk.usage().isPresent()).count()).isZero();
        }

        long billed = new Tokenizer().count(EXACT, prompt) + 2 * 7;
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(own.poolBalance()).isEqualTo(before - billed));
        stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/completions"))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo(prompt)))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @Test
    void the_route_is_served_under_gateway_v1_too() {
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(agent.key())
                .baseUrl(stack.gatewayB.baseUrl() + "/gateway/v1").maxRetries(0).build();

        Completion completion = client.completions().create(CompletionCreateParams.builder().model(EXACT)
                .prompt("hi").maxTokens(3).build());

        assertCharged(completion, new Tokenizer().count(EXACT, "hi") + 2 * 3);
    }

    @Test
    void models_without_legacy_completions_are_refused_saying_so() {
        assertThatThrownBy(() -> GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model("claude-3-haiku-20240307").prompt("Hello").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("claude-3-haiku-20240307")
                            .contains("does not serve legacy completions");
                    assertThat(e.param()).contains("model");
                });
        assertThatThrownBy(() -> GatewayIT.client(agent.key()).completions().create(CompletionCreateParams.builder()
                .model("text-embedding-3-small").prompt("Hello").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e ->
                        assertThat(e.getMessage()).contains("embedding model"));
    }

    @Test
    void malformed_bodies_are_refused_with_a_400_naming_the_field() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"prompt\":\"hi\"}", "model"),
                Map.entry("{\"model\":\"" + EXACT + "\"}", "prompt"),
                Map.entry(body("[]"), "prompt"),
                Map.entry(body("42"), "prompt"),
                Map.entry(body("[\"a\",[1]]"), "prompt[1]"),
                Map.entry(body("[1,2.5]"), "prompt[1]"),
                Map.entry(body("\"hi\",\"max_tokens\":-1"), "max_tokens"),
                Map.entry(body("\"hi\",\"max_tokens\":\"ten\""), "max_tokens"),
                Map.entry(body("\"hi\",\"n\":0"), "n"),
                Map.entry(body("\"hi\",\"n\":129"), "n"),
                Map.entry(body("\"hi\",\"best_of\":21"), "best_of"),
                Map.entry(body("\"hi\",\"n\":3,\"best_of\":2"), "best_of"),
                Map.entry(body("\"hi\",\"echo\":\"yes\""), "echo"),
                Map.entry(body("\"hi\",\"stream\":1"), "stream"),
                Map.entry(body("\"hi\",\"suffix\":[\"x\"]"), "suffix"),
                Map.entry(body("\"hi\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), "stop"),
                Map.entry(body("\"hi\",\"stop\":7"), "stop"));
        refused.forEach((body, field) -> {
            HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/completions",
                    agent.key(), body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asString()).as(body + " → " + response.body()).isEqualTo(field);
            assertThat(error.path("message").asString()).contains(field.replaceAll("\\[.*", ""));
        });
    }

    /** As chat's: the upstream call is ended and what was generated until then is charged. */
    @Test
    void a_stream_whose_client_left_is_charged_what_was_generated() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/completions")).atPriority(1)
                .withRequestBody(containing("leaves-the-completion"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(words(200))
                        .withChunkedDribbleDelay(200, 20_000)));
        TestAgent own = TestAgent.create(stack, "Leaves the completion", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();
        byte[] body = JSON.writeValueAsBytes(Map.of("model", EXACT, "stream", true,
                "max_tokens", 4000, "prompt", "leaves-the-completion"));

        sendAndLeave(own.key(), body, "leaves-the-completion", 5);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(ledger.openReservations(own.orgId())).isZero();
            assertThat(own.poolBalance()).isLessThan(before);
        });
        JsonNode record = ledger.requestRecords(own.orgId(), records -> !records.isEmpty()).get(0);
        assertThat(record.path("endpoint").asString()).isEqualTo("completions");
        assertThat(record.path("http_status").asInt()).isEqualTo(499);
        assertThat(record.path("error_code").asString()).isEqualTo("client_closed");
        assertThat(record.path("completion_tokens").asLong()).as("what was generated before the client left")
                .isPositive().isLessThan(200);
        long charged = record.path("charged_credits").asLong();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(own.poolBalance()).isEqualTo(before - charged));
    }

    @Test
    void a_stream_past_the_maximum_duration_is_ended_and_charged_what_it_generated() throws Exception {
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/completions")).atPriority(1)
                .withRequestBody(containing("never-ending-completion"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(words(400))
                        .withChunkedDribbleDelay(400, 40_000)));
        TestAgent own = TestAgent.create(stack, "Long completion", 10_000);
        GatewayIT.awaitKnownOn(stack, own.key());
        long before = own.poolBalance();

        HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/completions", own.key(),
                JSON.writeValueAsString(Map.of("model", EXACT, "stream", true,
                        "max_tokens", 4000, "prompt", "never-ending-completion")));

        assertThat(response.body()).contains("request_timeout").endsWith("data:[DONE]\n\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ledger.openReservations(own.orgId())).isZero();
            assertThat(own.poolBalance()).isLessThan(before);
        });
        JsonNode record = ledger.requestRecords(own.orgId(), records -> !records.isEmpty()).get(0);
        assertThat(record.path("http_status").asInt()).isEqualTo(504);
        assertThat(record.path("completion_tokens").asLong()).isPositive();
    }

    private static String body(String prompt) {
        return "{\"model\":\"" + EXACT + "\",\"prompt\":" + prompt + "}";
    }

    /** x_platform and the ledger say the same charge, and the hold covered it. */
    private static void assertCharged(Completion completion, long credits) {
        Map<String, Object> platform = GatewayIT.xPlatform(completion._additionalProperties().get("x_platform"));
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        assertThat(((Number) platform.get("credits_reserved")).longValue()).as("the hold covers the bill")
                .isGreaterThanOrEqualTo(credits);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
    }

    /** Legacy text_completion chunks, one word each, without usage. */
    private static String words(int count) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            events.append("data: {\"id\":\"cmpl-3\",\"object\":\"text_completion\",\"created\":1,"
                    + "\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"index\":0,\"text\":\" word\","
                    + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        return events.toString();
    }

    /** Sends the request over a plain socket and closes it after reading {@code dataLines} SSE data lines. */
    private static void sendAndLeave(String key, byte[] body, String marker, int dataLines) throws Exception {
        URI uri = URI.create(stack.gatewayA.baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                    + key + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> !stack.upstream.findAll(postRequestedFor(
                    urlEqualTo("/openai/v1/completions")).withRequestBody(containing(marker))).isEmpty());
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
}

package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/embeddings} through the official OpenAI SDK: every input shape, charged what the (honest) provider
 * billed, held at least that; and the bodies no SDK would send, refused with a 400 naming the field.
 */
class EmbeddingsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One credit per input token (100 credits per USD): the charge counts the tokens billed. */
    private static final String EXACT = "text-embedding-it-exact";
    private static final String NO_USAGE = "text-embedding-it-no-usage";
    private static GatewayStack stack;
    private static TestAgent agent;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        for (String model : List.of(EXACT, NO_USAGE)) {
            stack.platform().put("/pricing/openai/" + model, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 0));
        }
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/embeddings")).atPriority(5)
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/embeddings")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(NO_USAGE)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]}],
                         "model":"%s"}""".formatted(NO_USAGE))));
        agent = TestAgent.create(stack, "Embeddings", 1_000_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains(EXACT, NO_USAGE, "text-embedding-3-small"));
    }

    @Test
    void a_string_is_embedded_and_charged_the_tokens_the_provider_billed() {
        String text = "The quick brown fox jumps over the lazy dog, twice.";

        CreateEmbeddingResponse answer = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model(EXACT).input(text).build());

        long tokens = new Tokenizer().count(EXACT, text);
        assertThat(answer.data()).hasSize(1);
        assertThat(answer.usage().promptTokens()).isEqualTo(tokens);
        assertCharged(answer, tokens);
    }

    @Test
    void an_array_gets_one_embedding_per_string_in_the_dimensions_asked_for() {
        List<String> texts = List.of("first input", "a second, longer input", "third");

        CreateEmbeddingResponse answer = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model(EXACT).inputOfArrayOfStrings(texts).dimensions(3)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).user("user-7").build());

        assertThat(answer.data()).hasSize(3).allSatisfy(e -> assertThat(e.embedding()).hasSize(3));
        stack.upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/embeddings"))
                .withRequestBody(matchingJsonPath("$.dimensions", equalTo("3")))
                .withRequestBody(matchingJsonPath("$.encoding_format", equalTo("float")))
                .withRequestBody(matchingJsonPath("$.user", equalTo("user-7"))));
        Tokenizer tokenizer = new Tokenizer();
        assertCharged(answer, texts.stream().mapToLong(t -> tokenizer.count(EXACT, t)).sum());
    }

    @Test
    void token_ids_count_themselves_whether_one_array_or_several() {
        CreateEmbeddingResponse one = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model(EXACT).inputOfArrayOfTokens(List.of(1L, 2L, 3L, 4L, 5L)).build());
        CreateEmbeddingResponse several = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model(EXACT).inputOfArrayOfTokenArrays(List.of(List.of(10L, 11L), List.of(12L, 13L, 14L, 15L)))
                .build());

        assertThat(one.data()).hasSize(1);
        assertCharged(one, 5);
        assertThat(several.data()).hasSize(2);
        assertCharged(several, 6);
    }

    @Test
    void an_answer_without_usage_is_charged_the_gateways_count_of_the_input() {
        String text = "An upstream that reports no usage still bills.";

        CreateEmbeddingResponse answer = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model(NO_USAGE).input(text).build());

        long tokens = new Tokenizer().count(NO_USAGE, text);
        assertCharged(answer, tokens, tokens);
    }

    /** The platform price of text-embedding-3-small ($0.02 per million tokens) comes with the gateway's migrations. */
    @Test
    void text_embedding_3_small_is_served_at_its_platform_price() {
        String text = "x ".repeat(5_000);

        CreateEmbeddingResponse answer = embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input(text).build());

        long tokens = new Tokenizer().count("text-embedding-3-small", text);
        // tokens × 0.00002 USD per 1k × 100 credits per USD, rounded up once
        long credits = new BigDecimal(tokens).multiply(new BigDecimal("0.00002")).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(1000), 0, java.math.RoundingMode.CEILING).longValueExact();
        assertThat(GatewayIT.xPlatform(answer._additionalProperties().get("x_platform")))
                .containsEntry("credits_charged", (int) credits);
    }

    @Test
    void the_route_is_served_under_gateway_v1_too() {
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(agent.key())
                .baseUrl(stack.gatewayB.baseUrl() + "/gateway/v1").maxRetries(0).build();

        CreateEmbeddingResponse answer = embed(client, EmbeddingCreateParams.builder().model(EXACT).input("hi")
                .build());

        assertCharged(answer, new Tokenizer().count(EXACT, "hi"));
    }

    @Test
    void chat_models_and_anthropic_models_have_no_embeddings_endpoint() {
        for (String model : List.of("gpt-4o-mini", "claude-3-haiku-20240307", "mock-model")) {
            assertThatThrownBy(() -> embed(GatewayIT.client(agent.key()), EmbeddingCreateParams.builder()
                    .model(model).input("hello").build()))
                    .as(model).isInstanceOfSatisfying(BadRequestException.class, e -> {
                        assertThat(e.getMessage()).contains(model).contains("no embeddings endpoint");
                        assertThat(e.param()).contains("model");
                    });
        }
    }

    @Test
    void malformed_bodies_are_refused_with_a_400_naming_the_field() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"input\":\"hi\"}", "model"),
                Map.entry("{\"model\":\"" + EXACT + "\"}", "input"),
                Map.entry(body("\"\""), "input"),
                Map.entry(body("[]"), "input"),
                Map.entry(body("[\"fine\",\"\"]"), "input[1]"),
                Map.entry(body("[\"fine\",7]"), "input[1]"),
                Map.entry(body("[1,2,-3]"), "input[2]"),
                Map.entry(body("[[1,2],[3,\"x\"]]"), "input[1][1]"),
                Map.entry(body("[[1,2],[]]"), "input[1]"),
                Map.entry(body("{\"text\":\"hi\"}"), "input"),
                Map.entry(body(JSON.writeValueAsString(Collections.nCopies(2049, "a"))), "input"),
                Map.entry(body(JSON.writeValueAsString("word ".repeat(8_200))), "input"),
                Map.entry(body("[\"ok\"," + JSON.writeValueAsString("word ".repeat(8_200)) + "]"), "input[1]"),
                Map.entry(body("[" + String.join(",", Collections.nCopies(40,
                        JSON.writeValueAsString("word ".repeat(8_000)))) + "]"), "input"),
                Map.entry(body("\"hi\",\"dimensions\":0"), "dimensions"),
                Map.entry(body("\"hi\",\"encoding_format\":\"int8\""), "encoding_format"),
                Map.entry(body("\"hi\",\"user\":42"), "user"),
                Map.entry(body("\"hi\",\"stream\":true"), "stream"));
        refused.forEach((body, field) -> {
            HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/embeddings",
                    agent.key(), body);
            String shown = body.length() > 120 ? body.substring(0, 120) + "…" : body;
            assertThat(response.statusCode()).as(shown + " → " + response.body()).isEqualTo(400);
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asString()).as(shown + " → " + response.body()).isEqualTo(field);
            assertThat(error.path("message").asString()).contains(field.replaceAll("\\[.*", ""));
        });
        assertThat(RawHttp.error(RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/embeddings", agent.key(),
                "{\"model\":")).path("code").asString()).isEqualTo("invalid_json");
    }

    private static String body(String input) {
        return "{\"model\":\"" + EXACT + "\",\"input\":" + input + "}";
    }

    private static CreateEmbeddingResponse embed(OpenAIClient client, EmbeddingCreateParams params) {
        return client.embeddings().create(params);
    }

    private static void assertCharged(CreateEmbeddingResponse answer, long credits) {
        assertCharged(answer, credits, answer.usage().promptTokens());
    }

    /** x_platform and the ledger say the same charge, and the hold covered it. */
    private static void assertCharged(CreateEmbeddingResponse answer, long credits, long tokensIn) {
        Map<String, Object> platform = GatewayIT.xPlatform(answer._additionalProperties().get("x_platform"));
        assertThat(((Number) platform.get("credits_charged")).longValue()).isEqualTo(credits);
        assertThat(((Number) platform.get("credits_reserved")).longValue()).as("the hold covers the bill")
                .isGreaterThanOrEqualTo(credits);
        JsonNode charge = ledger.charge(agent.orgId(), (String) platform.get("request_id"));
        assertThat(charge.path("charged_credits").asLong()).isEqualTo(credits);
        assertThat(charge.path("tokens_in").asLong()).isEqualTo(tokensIn);
        assertThat(charge.path("tokens_out").asLong()).isZero();
    }
}

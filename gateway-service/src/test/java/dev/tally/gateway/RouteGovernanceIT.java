package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tally.gateway.provider.HonestUpstream;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.LedgerReads;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Embeddings, legacy completions and the model lookup are governed exactly like chat: the key, the policy's models
 * and rate limits, budgets, the organisation's walls, request records (naming the endpoint, never content) and
 * budget alerts.
 */
class RouteGovernanceIT {

    /** One credit per input token; completions two per output token (100 credits per USD). */
    private static final String EMBED = "text-embedding-governed-it";
    private static final String COMPLETE = "gpt-3.5-turbo-instruct-governed-it";
    private static GatewayStack stack;
    private static LedgerReads ledger;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        ledger = new LedgerReads(stack);
        stack.platform().put("/pricing/openai/" + EMBED, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 0));
        stack.platform().put("/pricing/openai/" + COMPLETE, Map.of("input_usd_per_1k", 10, "output_usd_per_1k", 20));
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/embeddings")).atPriority(5)
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
        stack.upstream.stubFor(post(urlEqualTo("/openai/v1/completions")).atPriority(5)
                .willReturn(aResponse().withTransformers(HonestUpstream.NAME)));
    }

    @Test
    void without_a_valid_key_every_new_route_answers_401() {
        String base = stack.gatewayA.baseUrl();
        for (HttpResponse<String> response : List.of(
                RawHttp.postJson(base + "/v1/embeddings", null, "{\"model\":\"" + EMBED + "\",\"input\":\"hi\"}"),
                RawHttp.postJson(base + "/v1/completions", null, "{\"model\":\"" + COMPLETE + "\",\"prompt\":\"hi\"}"),
                RawHttp.send("GET", base + "/v1/models/" + EMBED, null, null, null),
                RawHttp.send("GET", base + "/gateway/v1/models/" + EMBED, "cpk_not-a-key", null, null))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(RawHttp.error(response).path("code").asString()).isEqualTo("invalid_api_key");
        }
        OpenAIClient stranger = GatewayIT.client("cpk_not-a-key");
        assertThatThrownBy(() -> embed(stranger, EMBED)).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> complete(stranger, COMPLETE)).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> stranger.models().retrieve(EMBED)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void a_model_the_policy_does_not_allow_is_refused_with_403_and_not_found_among_the_models() {
        TestAgent only = TestAgent.create(stack, "Embeddings only", 10_000);
        only.owner().post("/policies", Map.of("agent_id", only.agentId(), "allowed_models", List.of(EMBED)));
        GatewayIT.awaitKnownOn(stack, only.key());
        OpenAIClient client = GatewayIT.client(only.key());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.models().list().data())
                .extracting(m -> m.id()).containsExactly(EMBED));

        assertThatThrownBy(() -> complete(client, COMPLETE)).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("allowed models");
        assertThatThrownBy(() -> embed(client, "text-embedding-3-small"))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("allowed models");
        assertThatThrownBy(() -> client.models().retrieve(COMPLETE))
                .isInstanceOfSatisfying(NotFoundException.class, e ->
                        assertThat(e.code()).contains("model_not_found"));
        assertThat(client.models().retrieve(EMBED).id()).isEqualTo(EMBED);
        assertThat(embed(client, EMBED).data()).hasSize(1);
    }

    @Test
    void a_budget_that_cannot_take_the_request_answers_402_naming_the_budget() {
        TestAgent capped = TestAgent.create(stack, "Capped routes", 10_000);
        String budgetId = capped.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 3,
                "agent_id", capped.agentId())).path("id").asString();
        GatewayIT.awaitKnownOn(stack, capped.key());
        OpenAIClient client = GatewayIT.client(capped.key());

        for (Executable request : List.<Executable>of(
                () -> client.embeddings().create(EmbeddingCreateParams.builder().model(EMBED)
                        .input("far more than three tokens of input, held one credit each").build()),
                () -> client.completions().create(CompletionCreateParams.builder().model(COMPLETE).prompt("Hi")
                        .maxTokens(100).build()))) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                    assertThatThrownBy(request::execute).isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(402);
                        assertThat(e.code()).contains("budget_exceeded");
                        assertThat(e.getMessage()).contains(budgetId);
                    }));
        }
    }

    @Test
    void the_rate_limits_apply_to_every_route() {
        OpenAIClient embedding = GatewayIT.client(limited(2).key());
        OpenAIClient completing = GatewayIT.client(limited(2).key());

        // Five requests at two a minute: whatever the minute's turn, three fall in one window.
        for (Executable overuse : List.<Executable>of(
                () -> {
                    for (int i = 0; i < 5; i++) {
                        embed(embedding, EMBED);
                    }
                },
                () -> {
                    for (int i = 0; i < 5; i++) {
                        complete(completing, COMPLETE);
                    }
                })) {
            assertThatThrownBy(overuse::execute).isInstanceOfSatisfying(RateLimitException.class, e ->
                    assertThat(e.headers().values("Retry-After")).isNotEmpty());
        }
    }

    @Test
    void another_organisations_key_can_neither_draw_on_nor_see_this_one() throws Exception {
        TestAgent mine = TestAgent.create(stack, "Mine", 10_000);
        String project = mine.owner().post("/orgs/" + mine.orgId() + "/projects", Map.of("name", "Secret"))
                .path("id").asString();
        mine.owner().post("/policies", Map.of("agent_id", mine.agentId(), "allowed_models", List.of(EMBED)));
        TestAgent theirs = TestAgent.create(stack, "Theirs", 10_000);
        GatewayIT.awaitKnownOn(stack, mine.key());
        GatewayIT.awaitKnownOn(stack, theirs.key());
        OpenAIClient intruder = OpenAIOkHttpClient.builder().apiKey(theirs.key())
                .baseUrl(stack.gatewayA.baseUrl() + "/v1").putHeader("X-Project-ID", project).maxRetries(0).build();
        long mineBefore = mine.poolBalance();
        long theirsBefore = theirs.poolBalance();

        for (Executable request : List.<Executable>of(() -> embed(intruder, EMBED),
                () -> complete(intruder, COMPLETE))) {
            assertThatThrownBy(request::execute).isInstanceOfSatisfying(BadRequestException.class, e -> {
                assertThat(e.code()).contains("unknown_project");
                assertThat(e.getMessage()).contains("not a project of your organisation");
            });
        }
        // Their own requests are theirs: charged to their pool, recorded under their organisation.
        Map<String, Object> platform = GatewayIT.xPlatform(embed(GatewayIT.client(theirs.key()), EMBED)
                ._additionalProperties().get("x_platform"));
        long charged = ((Number) platform.get("credits_charged")).longValue();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(theirs.poolBalance()).isEqualTo(theirsBefore - charged));
        assertThat(mine.poolBalance()).isEqualTo(mineBefore);
        assertThat(ledger.events(mine.orgId())).noneMatch(e -> e.toString().contains(
                (String) platform.get("request_id")));
        // And one organisation's policy neither hides models from the other nor shows it any.
        assertThat(GatewayIT.client(theirs.key()).models().retrieve(COMPLETE).id()).isEqualTo(COMPLETE);
        assertThatThrownBy(() -> GatewayIT.client(mine.key()).models().retrieve(COMPLETE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void request_records_name_the_endpoint_and_never_hold_content_in_privacy_mode() {
        TestAgent private_ = TestAgent.create(stack, "Private routes", 10_000);
        GatewayIT.awaitKnownOn(stack, private_.key());
        String secret = "my-secret-" + UUID.randomUUID();
        OpenAIClient strict = OpenAIOkHttpClient.builder().apiKey(private_.key())
                .baseUrl(stack.gatewayA.baseUrl() + "/v1").putHeader("X-Privacy-Mode", "strict").maxRetries(0)
                .build();

        strict.embeddings().create(EmbeddingCreateParams.builder().model(EMBED).input(secret).build());
        strict.completions().create(CompletionCreateParams.builder().model(COMPLETE).prompt(secret).maxTokens(3)
                .build());
        assertThatThrownBy(() -> strict.embeddings().create(EmbeddingCreateParams.builder().model("gpt-4o-mini")
                .input(secret).build())).isInstanceOf(BadRequestException.class);

        List<JsonNode> records = ledger.requestRecords(private_.orgId(), r -> r.size() >= 3);
        assertThat(records).extracting(r -> r.path("endpoint").asString() + " " + r.path("http_status").asInt())
                .containsExactlyInAnyOrder("embeddings 200", "completions 200", "embeddings 400");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("privacy_strict").asBoolean()).isTrue();
            assertThat(r.toString()).doesNotContain(secret).doesNotContain(HonestUpstream.TEXT.strip());
        });
        assertThat(records).filteredOn(r -> r.path("http_status").asInt() == 200)
                .allSatisfy(r -> assertThat(r.path("charged_credits").asLong()).isPositive());
    }

    @Test
    void a_budget_threshold_crossed_by_embeddings_is_announced_as_for_chat() {
        TestAgent watched = TestAgent.create(stack, "Watched", 10_000);
        String budgetId = watched.owner().post("/budgets", Map.of("period", "DAILY", "limit_credits", 100,
                "agent_id", watched.agentId(), "thresholds", List.of(80))).path("id").asString();
        GatewayIT.awaitKnownOn(stack, watched.key());

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> GatewayIT.client(
                watched.key()).embeddings().create(EmbeddingCreateParams.builder().model(EMBED)
                .inputOfArrayOfTokens(java.util.Collections.nCopies(90, 7L)).build()));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ledger.events(watched.orgId()))
                .anySatisfy(e -> {
                    assertThat(e.path("type").asString()).contains("BudgetThresholdCrossed");
                    assertThat(e.path("data").path("budget_id").asString()).isEqualTo(budgetId);
                    assertThat(e.path("data").path("threshold_percent").asInt()).isEqualTo(80);
                }));
    }

    private static TestAgent limited(int rpm) {
        TestAgent limited = TestAgent.create(stack, "Limited routes", 10_000);
        limited.owner().post("/policies", Map.of("agent_id", limited.agentId(),
                "allowed_models", List.of(EMBED, COMPLETE), "rpm_limit", rpm));
        GatewayIT.awaitKnownOn(stack, limited.key());
        // The policy is known once the models list shows it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(GatewayIT.client(limited.key())
                .models().list().data()).extracting(m -> m.id()).containsExactlyInAnyOrder(EMBED, COMPLETE));
        return limited;
    }

    private static CreateEmbeddingResponse embed(OpenAIClient client, String model) {
        return client.embeddings().create(EmbeddingCreateParams.builder().model(model).input("Hello").build());
    }

    private static Completion complete(OpenAIClient client, String model) {
        return client.completions().create(CompletionCreateParams.builder().model(model).prompt("Hello")
                .maxTokens(4).build());
    }
}

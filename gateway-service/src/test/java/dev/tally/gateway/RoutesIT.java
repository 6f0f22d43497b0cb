package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.models.Model;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The model lookup, and what the gateway answers for requests it does not serve: OpenAI's error JSON, so an SDK
 * raises its usual exception with a message naming the request; the gateway's other routes keep working.
 */
class RoutesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELF_HOSTED = "llama-routes-it";
    /** Priced for a provider these gateways are not configured for. */
    private static final String UNROUTED = "llama-unrouted-it";
    private static GatewayStack stack;
    private static TestAgent agent;

    @BeforeAll
    static void startStack() {
        stack = GatewayStack.get();
        stack.platform().put("/pricing/openai/" + SELF_HOSTED, Map.of("input_usd_per_1k", 1, "output_usd_per_1k", 1));
        stack.platform().put("/pricing/vllm/" + UNROUTED, Map.of("input_usd_per_1k", 1, "output_usd_per_1k", 1));
        agent = TestAgent.create(stack, "Routes", 10_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GatewayIT.client(agent.key()).models()
                .list().data()).extracting(m -> m.id()).contains(SELF_HOSTED));
    }

    @Test
    void a_model_is_retrieved_as_openai_describes_it() {
        for (OpenAIClient client : List.of(GatewayIT.client(agent.key()), OpenAIOkHttpClient.builder()
                .apiKey(agent.key()).baseUrl(stack.gatewayB.baseUrl() + "/gateway/v1").maxRetries(0).build())) {
            Model model = client.models().retrieve("gpt-4o-mini");

            assertThat(model.id()).isEqualTo("gpt-4o-mini");
            assertThat(model._object_().toString()).contains("model");
            assertThat(model.ownedBy()).isEqualTo("openai");
            assertThat(model.created()).isPositive();
            assertThat(client.models().retrieve(SELF_HOSTED).id()).isEqualTo(SELF_HOSTED);
            assertThat(client.models().retrieve("text-embedding-3-large").ownedBy()).isEqualTo("openai");
        }
    }

    @Test
    void a_model_without_a_price_or_a_provider_here_is_not_found_in_openais_format() {
        for (String model : List.of("no-such-model", UNROUTED)) {
            assertThatThrownBy(() -> GatewayIT.client(agent.key()).models().retrieve(model))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> {
                        assertThat(e.code()).contains("model_not_found");
                        assertThat(e.type()).contains("invalid_request_error");
                        assertThat(e.getMessage()).contains(model);
                    });
        }
    }

    @Test
    void an_unknown_route_answers_404_naming_method_and_path() {
        for (String[] request : List.of(new String[] {"POST", "/v1/assistants"}, new String[] {"GET", "/v1/files"},
                new String[] {"POST", "/gateway/v1/batches"}, new String[] {"GET", "/"},
                new String[] {"DELETE", "/v1/chat/completions/abc"})) {
            HttpResponse<String> response = RawHttp.send(request[0], stack.gatewayA.baseUrl() + request[1],
                    agent.key(), "application/json", request[0].equals("POST") ? "{}" : null);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("application/json");
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asString()).isEqualTo("unknown_url");
            assertThat(error.path("message").asString()).contains(request[0] + " " + request[1])
                    .doesNotContain("static resource");
        }
        assertThatThrownBy(() -> GatewayIT.client(agent.key()).files().list())
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("unknown_url"));
    }

    @Test
    void a_method_a_route_does_not_take_answers_405_saying_which_it_takes() {
        for (String[] request : List.of(new String[] {"GET", "/v1/embeddings"},
                new String[] {"GET", "/v1/chat/completions"}, new String[] {"PUT", "/gateway/v1/completions"},
                new String[] {"DELETE", "/v1/models/gpt-4o-mini"}, new String[] {"POST", "/v1/models"})) {
            HttpResponse<String> response = RawHttp.send(request[0], stack.gatewayA.baseUrl() + request[1],
                    agent.key(), "application/json", request[0].equals("GET") ? null : "{}");

            assertThat(response.statusCode()).as(request[0] + " " + request[1] + " " + response.body())
                    .isEqualTo(405);
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asString()).isEqualTo("method_not_allowed");
            assertThat(error.path("message").asString()).contains(request[0]).contains(request[1]);
            assertThat(response.headers().firstValue("Allow")).isPresent();
        }
    }

    @Test
    void a_body_that_is_not_json_answers_415() {
        for (String path : List.of("/v1/embeddings", "/gateway/v1/completions")) {
            HttpResponse<String> response = RawHttp.send("POST", stack.gatewayA.baseUrl() + path, agent.key(),
                    "text/plain", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
            JsonNode error = RawHttp.error(response);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asString()).isEqualTo("unsupported_media_type");
            assertThat(error.path("message").asString()).contains("text/plain");
        }
    }

    /** The documented limit (4 MiB) is the one applied: Spring's default of 256 KiB refused these. */
    @Test
    void a_body_of_a_few_megabytes_is_read() {
        String content = "hello ".repeat(500_000);
        HttpResponse<String> response = RawHttp.postJson(stack.gatewayA.baseUrl() + "/v1/chat/completions",
                agent.key(), JSON.writeValueAsString(Map.of("model", "mock-model", "max_tokens", 8,
                        "messages", List.of(Map.of("role", "user", "content", content)))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void the_quota_view_and_health_still_answer() throws Exception {
        HttpResponse<String> quota = RawHttp.send("GET", stack.gatewayA.baseUrl() + "/v1/users/me/quota",
                agent.key(), null, null);
        HttpResponse<String> quotaPrefixed = RawHttp.send("GET",
                stack.gatewayB.baseUrl() + "/gateway/v1/users/me/quota", agent.key(), null, null);
        HttpResponse<String> health = RawHttp.send("GET", stack.gatewayA.baseUrl() + "/actuator/health", null,
                null, null);

        assertThat(quota.statusCode()).as(quota.body()).isEqualTo(200);
        assertThat(JSON.readTree(quota.body()).has("available_quota")).isTrue();
        assertThat(quotaPrefixed.statusCode()).as(quotaPrefixed.body()).isEqualTo(200);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void the_actuators_other_endpoints_need_a_platform_admin_key() throws Exception {
        for (String endpoint : List.of("/actuator/metrics", "/actuator/info")) {
            String url = stack.gatewayA.baseUrl() + endpoint;
            assertThat(RawHttp.send("GET", url, null, null, null).statusCode()).as(endpoint).isEqualTo(401);
            assertThat(RawHttp.send("GET", url, agent.key(), null, null).statusCode()).as(endpoint).isEqualTo(401);
            assertThat(RawHttp.send("GET", url, GatewayStack.PLATFORM_KEY, null, null).statusCode()).as(endpoint)
                    .isEqualTo(200);
        }
    }
}

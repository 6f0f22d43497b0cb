package dev.tally.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.Governance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TokenPool's balancer for people: personal quota, then critical priority or vacation sharing, else approval. */
class UserTrackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static GatewayStack stack;
    private static Governance owner;
    private static String orgId;
    private static String teamId;
    private static String aliceKey;
    private static String bobKey;

    @BeforeAll
    static void people() {
        stack = GatewayStack.get();
        Governance platform = stack.platform();
        JsonNode org = platform.post("/orgs", Map.of("name", "People " + UUID.randomUUID(),
                "critical_overdraft_limit", 50));
        orgId = org.path("id").asString();
        owner = platform.as(org.path("owner_key").path("plaintext_key").asString());
        owner.post("/credits/purchase", Map.of("org_id", orgId, "amount", 10_000, "idempotency_key", "people"));
        teamId = owner.post("/orgs/" + orgId + "/teams", Map.of("name", "Engineering", "common_pool", 1_000))
                .path("id").asString();
        aliceKey = owner.post("/orgs/" + orgId + "/users", Map.of("email", "alice@people.example",
                "personal_quota", 0, "team_id", teamId)).path("api_key").path("plaintext_key").asString();
        bobKey = owner.post("/orgs/" + orgId + "/users", Map.of("email", "bob@people.example",
                "personal_quota", 100, "team_id", teamId)).path("api_key").path("plaintext_key").asString();
        owner.post("/policies", Map.of("team_id", teamId, "allow_critical_priority", true));
        GatewayIT.awaitKnownOn(stack, aliceKey);
        GatewayIT.awaitKnownOn(stack, bobKey);
    }

    @Test
    void personal_quota_first_then_critical_priority_draws_on_the_team_pool_else_402_with_approval_hint()
            throws Exception {
        // Awaited: a teammate's vacation from another test may still be reaching the gateways.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> expensive(client(aliceKey, Map.of())))
                        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(402);
                            assertThat(e.getMessage()).contains("/approvals").contains("X-Priority: critical");
                        }));

        // Alice has no allocation of her own, so what a critical request costs comes from the team pool; her team's
        // policy allows her critical priority (set up front: policies reach the gateways apart from keys).
        long teamBefore = quota(aliceKey).path("team_pool_available").asLong();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                expensive(client(aliceKey, Map.of("X-Priority", "critical"))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(quota(aliceKey).path("team_pool_available").asLong()).isLessThan(teamBefore));

        JsonNode quota = quota(aliceKey);
        assertThat(quota.path("personal_quota").asLong()).isZero();
        assertThat(quota.path("available_quota").asLong()).isZero();
    }

    @Test
    void a_teammate_on_vacation_shares_the_team_pool() {
        Governance bob = stack.platform().as(bobKey);
        bob.put("/users/me/status?status=on_vacation", null);
        try {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                    assertThat(expensive(client(aliceKey, Map.of())).choices()).isNotEmpty());
        } finally {
            bob.put("/users/me/status?status=active", null);
        }
    }

    @Test
    void vacation_sharing_is_capped_at_ten_percent_of_the_team_pool() throws Exception {
        String support = owner.post("/orgs/" + orgId + "/teams", Map.of("name", "Support", "common_pool", 50))
                .path("id").asString();
        String carolKey = owner.post("/orgs/" + orgId + "/users", Map.of("email", "carol@people.example",
                "personal_quota", 0, "team_id", support)).path("api_key").path("plaintext_key").asString();
        String daveKey = owner.post("/orgs/" + orgId + "/users", Map.of("email", "dave@people.example",
                "personal_quota", 0, "team_id", support)).path("api_key").path("plaintext_key").asString();
        GatewayIT.awaitKnownOn(stack, carolKey);
        GatewayIT.awaitKnownOn(stack, daveKey);
        stack.platform().as(daveKey).put("/users/me/status?status=on_vacation", null);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(cheap(client(carolKey, Map.of())).choices()).isNotEmpty());

        // Each cheap request reserves and costs 1 credit; the share is 10 % of the 50-credit pool: 5 credits.
        int served = 1;
        OpenAIServiceException refusal = null;
        while (refusal == null && served < 50) {
            try {
                cheap(client(carolKey, Map.of()));
                served++;
            } catch (OpenAIServiceException e) {
                refusal = e;
            }
        }
        assertThat(served).isEqualTo(5);
        assertThat(refusal).isNotNull();
        assertThat(refusal.statusCode()).isEqualTo(402);
        assertThat(refusal.getMessage()).contains("vacation-share:" + support);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(quota(carolKey).path("team_pool_available").asLong()).isEqualTo(45));
    }

    @Test
    void a_project_budget_applies_on_top_of_the_member_chain_and_privacy_mode_keeps_content_out_of_records() {
        String projectId = owner.post("/orgs/" + orgId + "/projects", Map.of("name", "Apollo")).path("id").asString();
        owner.post("/projects/" + projectId + "/members", Map.of("team_id", teamId));
        String budgetId = owner.post("/budgets", Map.of("period", "MONTHLY", "limit_credits", 1,
                "project_id", projectId)).path("id").asString();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThatThrownBy(() -> expensive(client(bobKey, Map.of("X-Project-ID", projectId))))
                        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(402);
                            assertThat(e.getMessage()).contains(budgetId);
                        }));

        String secret = "my-secret-prompt-" + UUID.randomUUID();
        client(bobKey, Map.of("X-Privacy-Mode", "strict")).chat().completions().create(
                ChatCompletionCreateParams.builder().model("mock-model").addUserMessage(secret)
                        .maxCompletionTokens(8).build());
        List<String> records = requestRecords(orgId);
        assertThat(records).anySatisfy(r -> assertThat(JSON.readTree(r).path("privacy_strict").asBoolean()).isTrue());
        assertThat(records).noneMatch(r -> r.contains(secret)).noneMatch(r -> r.contains("mock response"));
    }

    private static com.openai.models.chat.completions.ChatCompletion expensive(OpenAIClient client) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model("mock-model")
                .addUserMessage("Explain budgets").maxCompletionTokens(20_000).build());
    }

    private static com.openai.models.chat.completions.ChatCompletion cheap(OpenAIClient client) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model("mock-model")
                .addUserMessage("Hi").maxCompletionTokens(100).build());
    }

    private static OpenAIClient client(String key, Map<String, String> headers) {
        var builder = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(stack.gatewayB.baseUrl() + "/v1").maxRetries(0);
        headers.forEach(builder::putHeader);
        return builder.build();
    }

    private static JsonNode quota(String key) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.gatewayA.baseUrl() + "/v1/users/me/quota"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Reads tally.gateway.requests from the start, keeping the values of one org. */
    private static List<String> requestRecords(String org) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra.kafkaBootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("tally.gateway.requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (org.equals(record.key())) {
                        values.add(record.value());
                    }
                }
                return values.stream().anyMatch(v -> v.contains("\"privacy_strict\":true"));
            });
        }
        return values;
    }
}

package dev.tally.gateway;

import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.Governance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Privileges the gateway enforces from governance's state: critical priority only where a policy grants it, a project
 * only for its members, and keys only until they expire, which the gateway notices by its own clock.
 */
class PrivilegesAndKeysIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static GatewayStack stack;
    private static Governance owner;
    private static String orgId;
    private static String teamId;
    private static String userId;
    private static String userKey;

    @BeforeAll
    static void organisation() {
        stack = GatewayStack.get();
        Governance platform = stack.platform();
        JsonNode org = platform.post("/orgs", Map.of("name", "Privileges " + UUID.randomUUID(),
                "critical_overdraft_limit", 50));
        orgId = org.path("id").asString();
        owner = platform.as(org.path("owner_key").path("plaintext_key").asString());
        owner.post("/credits/purchase", Map.of("org_id", orgId, "amount", 10_000, "idempotency_key", "privileges"));
        teamId = owner.post("/orgs/" + orgId + "/teams", Map.of("name", "Support", "common_pool", 1_000))
                .path("id").asString();
        JsonNode user = owner.post("/orgs/" + orgId + "/users", Map.of("email", "dana@privileges.example",
                "personal_quota", 500, "team_id", teamId));
        userId = user.path("id").asString();
        userKey = user.path("api_key").path("plaintext_key").asString();
        GatewayIT.awaitKnownOn(stack, userKey);
    }

    @Test
    void critical_priority_is_403_naming_the_header_until_a_policy_grants_it() throws Exception {
        Answer refused = chat(userKey, Map.of("X-Priority", "critical"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error().path("type").asString()).isEqualTo("permission_error");
        assertThat(refused.error().path("code").asString()).isEqualTo("priority_not_allowed");
        assertThat(refused.error().path("param").asString()).isEqualTo("X-Priority");
        Answer alias = chat(userKey, Map.of("X-Project-Priority", "critical"));
        assertThat(alias.status()).isEqualTo(403);
        assertThat(alias.error().path("param").asString()).isEqualTo("X-Project-Priority");
        assertThat(chat(userKey, Map.of()).status()).as("without the header").isEqualTo(200);

        owner.post("/policies", Map.of("team_id", teamId, "allow_critical_priority", true));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(userKey, Map.of("X-Priority", "critical")).status()).isEqualTo(200));
    }

    @Test
    void a_project_is_403_naming_the_header_for_non_members_and_served_for_members() throws Exception {
        String projectId = owner.post("/orgs/" + orgId + "/projects", Map.of("name", "Apollo")).path("id").asString();
        String otherProject = owner.post("/orgs/" + orgId + "/projects", Map.of("name", "Gemini"))
                .path("id").asString();
        // 400 unknown_project until the gateway has read the projects.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(chat(userKey, Map.of("X-Project-ID", projectId)).status()).isEqualTo(403);
            assertThat(chat(userKey, Map.of("X-Project-ID", otherProject)).status()).isEqualTo(403);
        });

        Answer refused = chat(userKey, Map.of("X-Project-ID", projectId));
        assertThat(refused.error().path("type").asString()).isEqualTo("permission_error");
        assertThat(refused.error().path("code").asString()).isEqualTo("project_not_allowed");
        assertThat(refused.error().path("param").asString()).isEqualTo("X-Project-ID");

        owner.post("/projects/" + projectId + "/members", Map.of("user_id", userId));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(userKey, Map.of("X-Project-ID", projectId)).status()).isEqualTo(200));
        assertThat(chat(userKey, Map.of("X-Project-ID", otherProject)).status()).as("a project she is not in")
                .isEqualTo(403);

        owner.post("/projects/" + otherProject + "/members", Map.of("team_id", teamId));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(userKey, Map.of("X-Project-ID", otherProject)).status()).as("through her team")
                        .isEqualTo(200));

        JsonNode foreign = stack.platform().post("/orgs", Map.of("name", "Foreign " + UUID.randomUUID()));
        Governance foreignOwner = stack.platform().as(foreign.path("owner_key").path("plaintext_key").asString());
        String foreignProject = foreignOwner.post("/orgs/" + foreign.path("id").asString() + "/projects",
                Map.of("name", "Apollo")).path("id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Answer unknown = chat(userKey, Map.of("X-Project-ID", foreignProject));
            assertThat(unknown.status()).as("another organisation's project, as an unknown one").isEqualTo(400);
            assertThat(unknown.error().path("code").asString()).isEqualTo("unknown_project");
        });
    }

    @Test
    void an_expired_key_is_401_on_every_replica_without_any_new_state_record() throws Exception {
        // Long enough for both replicas to learn the key and serve it once on a slow machine.
        Instant expiresAt = Instant.now().plusSeconds(20);
        JsonNode key = owner.post("/users/" + userId + "/keys", Map.of("name", "short-lived",
                "expires_at", expiresAt.toString()));
        String shortLived = key.path("plaintext_key").asString();
        GatewayIT.awaitKnownOn(stack, shortLived);
        assertThat(chat(shortLived, Map.of()).status()).isEqualTo(200);

        // Governance publishes nothing at the expiry: the gateways refuse by their own clocks.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(chat(shortLived, Map.of(), stack.gatewayA).status()).isEqualTo(401);
            assertThat(chat(shortLived, Map.of(), stack.gatewayB).status()).isEqualTo(401);
        });
        Answer refused = chat(shortLived, Map.of());
        assertThat(refused.error().path("type").asString()).isEqualTo("authentication_error");
        assertThat(refused.error().path("code").asString()).isEqualTo("invalid_api_key");
        assertThat(refused.error().path("message").asString()).contains("expired");
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        assertThat(chat(userKey, Map.of()).status()).as("the user's other key").isEqualTo(200);
    }

    @Test
    void a_chat_request_through_the_gateway_becomes_the_keys_last_use_on_governance() throws Exception {
        JsonNode traced = owner.post("/users/" + userId + "/keys", Map.of("name", "traced"));
        JsonNode idle = owner.post("/users/" + userId + "/keys", Map.of("name", "idle"));
        String tracedKey = traced.path("plaintext_key").asString();
        GatewayIT.awaitKnownOn(stack, tracedKey);
        assertThat(lastUsed(traced.path("id").asString())).isNull();
        Instant before = Instant.now();

        assertThat(chat(tracedKey, Map.of()).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(lastUsed(traced.path("id").asString())).isNotNull()
                        .isAfterOrEqualTo(before.minusSeconds(1)));
        assertThat(lastUsed(idle.path("id").asString())).as("a key not used").isNull();
    }

    private static Instant lastUsed(String keyId) {
        JsonNode key = StreamSupport.stream(owner.get("/users/" + userId + "/keys").spliterator(), false)
                .filter(k -> k.path("id").asString().equals(keyId)).findFirst().orElseThrow();
        return key.has("last_used_at") ? Instant.parse(key.path("last_used_at").asString()) : null;
    }

    private record Answer(int status, JsonNode body) {

        JsonNode error() {
            return body.path("error");
        }
    }

    private static Answer chat(String key, Map<String, String> headers) throws Exception {
        return chat(key, headers, stack.gatewayA);
    }

    /** A cheap chat completion over plain HTTP, to read OpenAI's error JSON as a client receives it. */
    private static Answer chat(String key, Map<String, String> headers, dev.tally.testsupport.ServiceProcess gateway)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "mock-model", "messages": [{"role": "user", "content": "Hi"}],
                         "max_completion_tokens": 16}"""));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }
}

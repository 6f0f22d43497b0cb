package dev.tally.gateway;

import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.RawHttp;
import dev.tally.gateway.support.TestAgent;
import dev.tally.testsupport.attack.GatewayRouteAttack;
import dev.tally.testsupport.attack.GatewayRouteAttack.Access;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route the gateway serves, read from the handler mappings of a gateway running in this JVM (configured as the
 * stack's replicas are), attacked as docs/security.md and docs/gateway.md say it must hold (see
 * {@link GatewayRouteAttack}). A route added to the code fails this test until it is classified below.
 */
class AttackIT {

    private static final String CHAT = "{\"model\": \"mock-model\", \"max_tokens\": 8, "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    private static final String COMPLETIONS = "{\"model\": \"gpt-4o-mini\", \"prompt\": \"Hello\", \"max_tokens\": 8}";
    private static final String EMBEDDINGS = "{\"model\": \"text-embedding-3-small\", \"input\": \"Hello\"}";
    private static final String RESPONSES = "{\"model\": \"gpt-4o-mini\", \"input\": \"Hello\", "
            + "\"max_output_tokens\": 16}";
    private static final String MESSAGES = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 16, "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    private static final String COUNT_TOKENS = "{\"model\": \"claude-sonnet-4-5\", "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    private static final Map<String, Access> ROUTES = Map.ofEntries(
            // Public: the actuator's probes.
            entry("GET /actuator/health", Access.PUBLIC),
            entry("GET /actuator/health/{*path}", Access.PUBLIC),
            // The actuator's other endpoints: platform admin keys, read from tally.governance.state.
            entry("GET /actuator", Access.PLATFORM_ADMIN),
            entry("GET /actuator/info", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics/{requiredMetricName}", Access.PLATFORM_ADMIN),
            entry("GET /actuator/prometheus", Access.PLATFORM_ADMIN),
            // Spring Boot's static resource handlers: the gateway ships no static files; whatever they would be
            // asked for is an unknown URL in OpenAI's format.
            entry("ANY /**", Access.UNSERVED),
            entry("ANY /webjars/**", Access.UNSERVED),
            // OpenAI's API: the routes that call a model under the caller's governance...
            entry("POST /v1/chat/completions", Access.OPENAI_GOVERNED),
            entry("POST /gateway/v1/chat/completions", Access.OPENAI_GOVERNED),
            entry("POST /v1/completions", Access.OPENAI_GOVERNED),
            entry("POST /gateway/v1/completions", Access.OPENAI_GOVERNED),
            entry("POST /v1/embeddings", Access.OPENAI_GOVERNED),
            entry("POST /gateway/v1/embeddings", Access.OPENAI_GOVERNED),
            entry("POST /v1/responses", Access.OPENAI_GOVERNED),
            entry("POST /gateway/v1/responses", Access.OPENAI_GOVERNED),
            // ...and the ones that read what the caller's own key may use or has.
            entry("GET /v1/models", Access.OPENAI),
            entry("GET /gateway/v1/models", Access.OPENAI),
            entry("GET /v1/models/{id}", Access.OPENAI),
            entry("GET /gateway/v1/models/{id}", Access.OPENAI),
            entry("GET /v1/users/me/quota", Access.OPENAI),
            entry("GET /gateway/v1/users/me/quota", Access.OPENAI),
            // Anthropic's Messages API.
            entry("POST /v1/messages", Access.ANTHROPIC_GOVERNED),
            entry("POST /gateway/v1/messages", Access.ANTHROPIC_GOVERNED),
            entry("POST /v1/messages/count_tokens", Access.ANTHROPIC),
            entry("POST /gateway/v1/messages/count_tokens", Access.ANTHROPIC));

    private static final Map<String, String> BODIES = Map.ofEntries(
            entry("POST /v1/chat/completions", CHAT),
            entry("POST /gateway/v1/chat/completions", CHAT),
            entry("POST /v1/completions", COMPLETIONS),
            entry("POST /gateway/v1/completions", COMPLETIONS),
            entry("POST /v1/embeddings", EMBEDDINGS),
            entry("POST /gateway/v1/embeddings", EMBEDDINGS),
            entry("POST /v1/responses", RESPONSES),
            entry("POST /gateway/v1/responses", RESPONSES),
            entry("POST /v1/messages", MESSAGES),
            entry("POST /gateway/v1/messages", MESSAGES),
            entry("POST /v1/messages/count_tokens", COUNT_TOKENS),
            entry("POST /gateway/v1/messages/count_tokens", COUNT_TOKENS));

    private static GatewayStack stack;
    private static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void startGateway() {
        stack = GatewayStack.get();
        gateway = stack.startInProcessGateway("gateway-attack");
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void every_route_is_classified_and_refuses_what_docs_security_md_says_it_refuses() {
        String baseUrl = "http://localhost:" + gateway.getEnvironment().getProperty("local.server.port");
        TestAgent a = TestAgent.create(stack, "Attack A", 10_000);
        TestAgent b = TestAgent.create(stack, "Attack B", 10_000);
        String projectOfA = a.owner().post("/orgs/" + a.orgId() + "/projects", Map.of("name", "Apollo"))
                .path("id").asString();
        JsonNode revoked = a.owner().post("/agents/" + a.agentId() + "/keys", Map.of("name", "revoked"));
        a.owner().delete("/agents/" + a.agentId() + "/keys/" + revoked.path("id").asString());
        Instant expiresAt = Instant.now().plusSeconds(4);
        String expired = a.owner().post("/agents/" + a.agentId() + "/keys", Map.of("name", "short-lived",
                "expires_at", expiresAt.toString())).path("plaintext_key").asString();
        // This gateway has read both organisations and the revocation before the attack starts; the expired key
        // has passed its expiry.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(models(baseUrl, a.key())).isEqualTo(200);
            assertThat(models(baseUrl, b.key())).isEqualTo(200);
            assertThat(models(baseUrl, revoked.path("plaintext_key").asString())).isEqualTo(401);
            assertThat(Instant.now()).isAfter(expiresAt);
        });

        GatewayRouteAttack attack = new GatewayRouteAttack(baseUrl, ROUTES, BODIES,
                Map.of("id", "gpt-4o-mini", "requiredMetricName", "jvm.memory.used", "path", "liveness"),
                new GatewayRouteAttack.Keys(a.key(), b.key(), revoked.path("plaintext_key").asString(), expired,
                        GatewayStack.PLATFORM_KEY),
                projectOfA, Set.of(a.orgId(), a.workspaceId(), a.groupId(), a.agentId(), projectOfA));
        assertThat(attack.run(RouteInventory.of(gateway), RouteInventory.takingBody(gateway))).isEmpty();
    }

    private static int models(String baseUrl, String key) {
        return RawHttp.send("GET", baseUrl + "/v1/models", key, null, null).statusCode();
    }
}

package dev.tally.e2e;

import com.openai.models.chat.completions.ChatCompletion;
import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Governance;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Agent Control's track through governance's HTTP API, then a paid completion through the gateway. */
@Order(1)
@ExtendWith(E2EStack.class)
class AgentControlWalkthroughIT {

    @Test
    void org_workspace_group_agent_key_credits_policy_budget_then_a_completion_charged_to_the_org() {
        Governance platform = E2EStack.platform();
        JsonNode org = platform.post("/orgs", Map.of("name", "Acme " + UUID.randomUUID(),
                "description", "Main production org"));
        String orgId = org.path("id").asString();
        assertThat(org.path("ledger_status").asString()).isEqualTo("ACCEPTED");
        assertThat(org.path("ledger_id").asString()).isEqualTo(orgId);
        Governance owner = platform.as(org.path("owner_key").path("plaintext_key").asString());

        String workspace = owner.post("/orgs/" + orgId + "/workspaces", Map.of("name", "Production"))
                .path("id").asString();
        String group = owner.post("/workspaces/" + workspace + "/agent-groups",
                Map.of("name", "Support Bots", "description", "Customer-facing agents")).path("id").asString();
        JsonNode agent = owner.post("/agent-groups/" + group + "/agents", Map.of("name", "support-bot-1"));
        assertThat(agent.path("status").asString()).isEqualTo("ACTIVE");
        String agentId = agent.path("id").asString();
        String key = owner.post("/agents/" + agentId + "/keys", Map.of("name", "prod-key"))
                .path("plaintext_key").asString();
        assertThat(key).startsWith("cpk_");
        JsonNode purchase = owner.post("/credits/purchase", Map.of("group_id", orgId, "amount", 10_000,
                "idempotency_key", "topup-001"));
        assertThat(purchase.path("status").asString()).isEqualTo("APPLIED");
        // The same purchase again buys nothing.
        owner.post("/credits/purchase", Map.of("group_id", orgId, "amount", 10_000, "idempotency_key", "topup-001"));

        owner.post("/policies", Map.of("name", "Org model allowlist", "org_id", orgId,
                "allowed_models", List.of("gpt-4o-mini", "mock-model"), "max_output_tokens", 2048));
        JsonNode budget = owner.post("/budgets", Map.of("period", "DAILY", "limit_credits", 1000,
                "auto_disable", true, "agent_id", agentId));
        assertThat(budget.path("ledger_status").asString()).isEqualTo("ACCEPTED");
        JsonNode balance = owner.get("/orgs/" + orgId + "/balance");
        assertThat(balance.path("balance").asLong()).isEqualTo(10_000);
        assertThat(balance.path("available").asLong()).isEqualTo(10_000);

        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(key);
        ChatCompletion completion = Gateway.complete(gateway.client(1, key), "What is the capital of France?", 256);
        assertThat(completion.choices().get(0).message().content()).get().asString().contains("mock response");
        Map<String, Object> platformInfo = Gateway.xPlatform(completion._additionalProperties());
        long charged = Gateway.creditsCharged(completion);
        assertThat(charged).isPositive();
        assertThat(platformInfo).containsEntry("model", "mock-model").containsKey("request_id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode after = owner.get("/orgs/" + orgId + "/balance");
            assertThat(after.path("balance").asLong()).as("down by exactly x_platform.credits_charged")
                    .isEqualTo(10_000 - charged);
            assertThat(after.path("reserved").asLong()).isZero();
        });
        assertThat(E2EStack.ledger().charges(orgId))
                .containsExactly(Map.entry((String) platformInfo.get("request_id"), charged));
    }

}

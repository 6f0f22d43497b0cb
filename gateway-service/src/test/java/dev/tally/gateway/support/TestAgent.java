package dev.tally.gateway.support;

import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

/** An organisation with one workspace, agent group and agent, its key, and credits in the pool. */
public record TestAgent(String orgId, String workspaceId, String groupId, String agentId, String key,
        Governance owner) {

    public static TestAgent create(GatewayStack stack, String name, long credits) {
        Governance platform = stack.platform();
        JsonNode org = platform.post("/orgs", Map.of("name", name + " " + UUID.randomUUID()));
        String orgId = org.path("id").asString();
        Governance owner = platform.as(org.path("owner_key").path("plaintext_key").asString());
        String workspace = owner.post("/orgs/" + orgId + "/workspaces", Map.of("name", "prod")).path("id").asString();
        String group = owner.post("/workspaces/" + workspace + "/agent-groups", Map.of("name", "bots"))
                .path("id").asString();
        String agent = owner.post("/agent-groups/" + group + "/agents", Map.of("name", "bot")).path("id").asString();
        String key = owner.post("/agents/" + agent + "/keys", Map.of("name", "k")).path("plaintext_key").asString();
        if (credits > 0) {
            owner.post("/credits/purchase", Map.of("org_id", orgId, "amount", credits, "idempotency_key", "it"));
        }
        return new TestAgent(orgId, workspace, group, agent, key, owner);
    }

    public long poolBalance() {
        return owner.get("/orgs/" + orgId + "/balance").path("balance").asLong();
    }
}

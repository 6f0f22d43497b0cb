package dev.tally.e2e.support;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A fresh organisation of one test (unique name), with its owner key; nothing shared with other tests. */
public record Org(String id, String defaultWorkspaceId, Governance owner) {

    public static Org create(String name) {
        return create(name, Map.of());
    }

    public static Org create(String name, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("name", name + " " + UUID.randomUUID());
        JsonNode org = E2EStack.platform().post("/orgs", body);
        return new Org(org.path("id").asString(), org.path("default_workspace_id").asString(),
                E2EStack.platform().as(org.path("owner_key").path("plaintext_key").asString()));
    }

    public void purchase(long credits, String idempotencyKey) {
        JsonNode purchase = owner.post("/credits/purchase", Map.of("org_id", id, "amount", credits,
                "idempotency_key", idempotencyKey));
        if (!"APPLIED".equals(purchase.path("status").asString())) {
            throw new AssertionError("purchase not applied: " + purchase);
        }
    }

    /** A workspace, an agent group and an agent in it, and a gateway key: {@code [agentId, key]}. */
    public Agent agent(String name) {
        String workspace = owner.post("/orgs/" + id + "/workspaces", Map.of("name", name + "-ws")).path("id").asString();
        String group = owner.post("/workspaces/" + workspace + "/agent-groups", Map.of("name", name + "-group"))
                .path("id").asString();
        String agent = owner.post("/agent-groups/" + group + "/agents", Map.of("name", name)).path("id").asString();
        JsonNode key = owner.post("/agents/" + agent + "/keys", Map.of("name", name + "-key"));
        return new Agent(agent, key.path("id").asString(), key.path("plaintext_key").asString());
    }

    /** The org pool's balance, as governance reads it from the ledger. */
    public long balance() {
        return owner.get("/orgs/" + id + "/balance").path("balance").asLong();
    }

    public record Agent(String id, String keyId, String key) {
    }
}

package dev.tally.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The organisation {@code ./tally up} prepares so there is something to call at once: organisation "Demo", a
 * workspace, an agent group, an agent with a gateway key, and 10,000 credits. Created through governance's admin API
 * only, and only once: a key's plaintext is shown once, so it is kept in {@code <data>/demo.json} and read back on
 * later starts.
 */
public record DemoOrg(String orgId, String orgName, String workspaceId, String agentGroupId, String agentId,
        String agentKey) {

    public static final String ORG_NAME = "Demo";
    public static final long CREDITS = 10_000;
    private static final String PURCHASE_KEY = "local-stack-demo-credits";
    private static final Duration PURCHASE_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.shared();

    /** What happened: whether it was created now, and the org pool's available credits (null if unknown). */
    record Outcome(DemoOrg demo, boolean created, Long availableCredits) {
    }

    static Outcome ensure(String governanceUrl, String adminKey, Path file) {
        HttpJson governance = new HttpJson(governanceUrl, adminKey);
        DemoOrg saved = read(file);
        boolean created = false;
        DemoOrg demo = saved;
        if (saved == null || governance.get("/orgs/" + saved.orgId()).status() != 200) {
            demo = create(governance);
            demo.write(file);
            created = true;
        }
        HttpJson.Response balance = governance.get("/orgs/" + demo.orgId() + "/balance");
        Long available = balance.status() == 200 ? balance.body().path("available").asLong() : null;
        return new Outcome(demo, created, available);
    }

    private static DemoOrg create(HttpJson governance) {
        JsonNode org = findOrCreate(governance, "/orgs", "/orgs",
                Map.of("name", ORG_NAME, "description", "Created by ./tally up for trying the gateway"));
        String orgId = org.path("id").asString();
        JsonNode workspace = findOrCreate(governance, "/orgs/" + orgId + "/workspaces",
                "/orgs/" + orgId + "/workspaces", Map.of("name", "demo"));
        String workspaceId = workspace.path("id").asString();
        JsonNode group = findOrCreate(governance, "/workspaces/" + workspaceId + "/agent-groups",
                "/workspaces/" + workspaceId + "/agent-groups", Map.of("name", "demo-agents"));
        String groupId = group.path("id").asString();
        JsonNode agent = findOrCreate(governance, "/agent-groups/" + groupId + "/agents",
                "/agent-groups/" + groupId + "/agents", Map.of("name", "demo-agent"));
        String agentId = agent.path("id").asString();
        HttpJson.Response key = expect(governance.post("/agents/" + agentId + "/keys", Map.of("name", "local-stack")),
                "issuing the demo agent's key");
        buyCredits(governance, orgId);
        return new DemoOrg(orgId, org.path("name").asString(), workspaceId, groupId, agentId,
                key.body().path("plaintext_key").asString());
    }

    /** POST, or on 409 duplicate_name the existing entity of that name: a half-finished earlier run is completed. */
    private static JsonNode findOrCreate(HttpJson governance, String createPath, String listPath, Map<String, String> body) {
        HttpJson.Response response = governance.post(createPath, body);
        if (response.status() == 409) {
            HttpJson.Response list = expect(governance.get(listPath), "listing " + listPath);
            for (JsonNode entity : list.body()) {
                if (entity.path("name").asString().equalsIgnoreCase(body.get("name"))) {
                    return entity;
                }
            }
        }
        return expect(response, "POST " + createPath).body();
    }

    /** Idempotent by its key: buying again on a later start returns the first purchase and buys nothing. */
    private static void buyCredits(HttpJson governance, String orgId) {
        Map<String, Object> purchase = new LinkedHashMap<>();
        purchase.put("org_id", orgId);
        purchase.put("amount", CREDITS);
        purchase.put("idempotency_key", PURCHASE_KEY);
        JsonNode transfer = expect(governance.post("/credits/purchase", purchase), "buying the demo credits").body();
        long deadline = System.nanoTime() + PURCHASE_TIMEOUT.toNanos();
        while ("PENDING".equals(transfer.path("status").asString())) {
            if (System.nanoTime() > deadline) {
                throw new StackException("the ledger did not apply the demo purchase within "
                        + PURCHASE_TIMEOUT.toSeconds() + " s (see ledger-service's log)");
            }
            Sleep.millis(250);
            transfer = expect(governance.get("/orgs/" + orgId + "/transfers/" + transfer.path("id").asString()),
                    "reading the demo purchase").body();
        }
        if (!"APPLIED".equals(transfer.path("status").asString())) {
            throw new StackException("the ledger refused the demo purchase: " + transfer);
        }
    }

    private static HttpJson.Response expect(HttpJson.Response response, String what) {
        if (!response.ok()) {
            throw new StackException(what + " failed: HTTP " + response.status() + " " + response.text());
        }
        return response;
    }

    static DemoOrg read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            return new DemoOrg(node.path("org_id").asString(), node.path("org_name").asString(),
                    node.path("workspace_id").asString(), node.path("agent_group_id").asString(),
                    node.path("agent_id").asString(), node.path("agent_key").asString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void write(Path file) {
        Map<String, String> node = new LinkedHashMap<>();
        node.put("org_id", orgId);
        node.put("org_name", orgName);
        node.put("workspace_id", workspaceId);
        node.put("agent_group_id", agentGroupId);
        node.put("agent_id", agentId);
        node.put("agent_key", agentKey);
        // It holds the agent's gateway key.
        OwnerOnly.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** Polls {@code GET /v1/models} with the demo key until the gateway has read the key from the state topic. */
    static void awaitGatewayAccepts(String gatewayUrl, String agentKey, Duration timeout) {
        HttpJson gateway = new HttpJson(gatewayUrl, agentKey);
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpJson.Response last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = gateway.get("/v1/models");
                if (last.status() == 200) {
                    return;
                }
            } catch (StackException e) {
                // Not answering yet.
            }
            Sleep.millis(200);
        }
        throw new StackException("the gateway at " + gatewayUrl + " did not accept the demo key within "
                + timeout.toSeconds() + " s" + (last == null ? "" : " (last answer: HTTP " + last.status() + " "
                + last.text() + ")"));
    }
}

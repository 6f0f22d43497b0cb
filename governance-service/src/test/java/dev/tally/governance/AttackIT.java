package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.testsupport.attack.RouteAttack;
import dev.tally.testsupport.attack.RouteAttack.Access;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route governance-service serves, from its handler mappings, attacked as docs/security.md and the role table
 * of docs/governance.md say it must hold (see {@link RouteAttack}). Path variables are ids that exist in organisation
 * A; organisation B's owner must get 404 (or 403) for each and never see one of A's ids. A route added to the code
 * fails this test until it is classified below.
 */
class AttackIT extends GovernanceTestBase {

    private static final Map<String, Access> ROUTES = new LinkedHashMap<>();

    static {
        // Public: the price list and the actuator's probes.
        classify(Access.PUBLIC, "GET /pricing", "GET /actuator/health", "GET /actuator/health/{*path}");
        // The API reference and its UI (springdoc), open: docs/security.md says why.
        classify(Access.PUBLIC, "GET /v3/api-docs", "GET /v3/api-docs.yaml", "GET /v3/api-docs/swagger-config",
                "GET /swagger-ui.html", "ANY /swagger-ui/**", "ANY /swagger-ui/*swagger-initializer.js",
                "ANY /webjars/*swagger-ui/**", "ANY /webjars/*swagger-ui/*swagger-initializer.js",
                "ANY /webjars/*swagger-ui/5.32.2/*swagger-initializer.js");
        // Spring Boot's static resource handlers: governance ships no static files, and its filter asks a key of every
        // path but the public ones, so they are behind the admin door like the API.
        classify(Access.ORG_ADMIN, "ANY /**", "ANY /webjars/**");
        // Platform admins only.
        classify(Access.PLATFORM_ADMIN, "POST /orgs", "PUT /pricing/{provider}/{model}",
                "DELETE /pricing/{provider}/{model}", "POST /admin/republish", "POST /admin/credentials/re-encrypt",
                "GET /actuator", "GET /actuator/info", "GET /actuator/metrics", "GET /actuator/prometheus",
                "GET /actuator/metrics/{requiredMetricName}");
        // A user's own routes, with the user's gateway key; admin keys get 403.
        classify(Access.GATEWAY_KEY, "GET /users/me", "PUT /users/me/status", "POST /users/me/transfer",
                "GET /users/me/teams", "POST /approvals", "GET /approvals/mine");
        // Quota requests: organisation admins decide them, a team's admin decides its members' with a gateway key,
        // and the requester reads its own.
        classify(Access.ORG_ADMIN_OR_MEMBER, "GET /approvals/pending", "GET /approvals/{approvalId}",
                "POST /approvals/{approvalId}/approve", "POST /approvals/{approvalId}/reject");
        // Organisation admins (the owner for admin keys): the organisation named by the path or owning the id.
        classify(Access.ORG_ADMIN,
                "GET /orgs", "GET /orgs/{orgId}", "PATCH /orgs/{orgId}",
                "POST /orgs/{orgId}/admin-keys", "GET /orgs/{orgId}/admin-keys",
                "DELETE /orgs/{orgId}/admin-keys/{keyId}", "POST /orgs/{orgId}/admin-keys/{keyId}/rotate",
                "POST /orgs/{orgId}/workspaces", "GET /orgs/{orgId}/workspaces",
                "GET /workspaces/{workspaceId}", "PATCH /workspaces/{workspaceId}",
                "POST /workspaces/{workspaceId}/agent-groups", "GET /workspaces/{workspaceId}/agent-groups",
                "GET /agent-groups/{groupId}", "PATCH /agent-groups/{groupId}",
                "POST /agent-groups/{groupId}/agents", "GET /agent-groups/{groupId}/agents",
                "GET /agents/{agentId}", "PATCH /agents/{agentId}",
                "POST /agents/{agentId}/keys", "GET /agents/{agentId}/keys",
                "POST /agents/{agentId}/keys/{keyId}/rotate", "DELETE /agents/{agentId}/keys/{keyId}",
                "POST /orgs/{orgId}/teams", "GET /orgs/{orgId}/teams", "GET /teams/{teamId}", "PATCH /teams/{teamId}",
                "POST /teams/{teamId}/members/{userId}", "DELETE /teams/{teamId}/members/{userId}",
                "GET /teams/{teamId}/members",
                "POST /orgs/{orgId}/users", "GET /orgs/{orgId}/users", "GET /users/{userId}",
                "PUT /users/{userId}", "PATCH /users/{userId}",
                "POST /users/{userId}/keys", "GET /users/{userId}/keys",
                "POST /users/{userId}/keys/{keyId}/rotate", "DELETE /users/{userId}/keys/{keyId}",
                "POST /orgs/{orgId}/projects", "GET /orgs/{orgId}/projects", "GET /projects/{projectId}",
                "PATCH /projects/{projectId}", "POST /projects/{projectId}/members",
                "GET /projects/{projectId}/members", "DELETE /projects/{projectId}/members/{memberId}",
                "POST /credits/purchase", "GET /orgs/{orgId}/balance",
                "POST /orgs/{orgId}/transfers", "GET /orgs/{orgId}/transfers",
                "GET /orgs/{orgId}/transfers/{transferId}",
                "POST /policies", "GET /policies", "GET /policies/{policyId}", "PUT /policies/{policyId}",
                "DELETE /policies/{policyId}",
                "POST /budgets", "GET /budgets", "GET /budgets/{budgetId}", "PUT /budgets/{budgetId}",
                "DELETE /budgets/{budgetId}",
                "POST /orgs/{orgId}/credentials", "GET /orgs/{orgId}/credentials",
                "DELETE /orgs/{orgId}/credentials/{credentialId}",
                "GET /orgs/{orgId}/audit");
    }

    @Autowired
    ApplicationContext context;

    private static void classify(Access access, String... routes) {
        for (String route : routes) {
            ROUTES.put(route, access);
        }
    }

    @Test
    void every_route_is_classified_and_refuses_what_docs_security_md_says_it_refuses() {
        JsonNode orgA = platform().create("/orgs", Map.of("name", "attack a " + UUID.randomUUID()));
        JsonNode orgB = platform().create("/orgs", Map.of("name", "attack b " + UUID.randomUUID()));
        String org = orgA.path("id").asString();
        String ownerKey = orgA.path("owner_key").path("plaintext_key").asString();
        String ownerKeyOfB = orgB.path("owner_key").path("plaintext_key").asString();
        Admin owner = as(ownerKey);
        Admin.json(owner.post("/credits/purchase", Map.of("org_id", org, "amount", 1_000,
                "idempotency_key", "attack")), HttpStatus.CREATED);
        String workspace = orgA.path("default_workspace_id").asString();
        String group = id(owner.create("/workspaces/" + workspace + "/agent-groups", Map.of("name", "bots")));
        String agent = id(owner.create("/agent-groups/" + group + "/agents", Map.of("name", "bot-1")));
        String agentKey = id(owner.create("/agents/" + agent + "/keys", Map.of("name", "k")));
        String team = id(owner.create("/orgs/" + org + "/teams", Map.of("name", "research")));
        String email = "jane-" + UUID.randomUUID() + "@a.example";
        String user = id(owner.create("/orgs/" + org + "/users", Map.of("email", email, "personal_quota", 10)));
        Admin.json(owner.post("/teams/" + team + "/members/" + user, null), HttpStatus.OK);
        JsonNode userKey = owner.create("/users/" + user + "/keys", Map.of("name", "laptop"));
        String project = id(owner.create("/orgs/" + org + "/projects", Map.of("name", "apollo")));
        owner.create("/projects/" + project + "/members", Map.of("agent_id", agent));
        String policy = id(owner.create("/policies", Map.of("org_id", org, "max_output_tokens", 100)));
        String budget = id(owner.create("/budgets", Map.of("period", "DAILY", "limit_credits", 10,
                "agent_id", agent)));
        String credential = id(owner.create("/orgs/" + org + "/credentials",
                Map.of("provider", "openai", "api_key", "sk-attack-suite-key")));
        String adminKey = id(owner.create("/orgs/" + org + "/admin-keys", Map.of("name", "ops")));
        JsonNode transfer = owner.create("/orgs/" + org + "/transfers", Map.of("to_account_id", user, "amount", 1,
                "reason", "attack suite"));
        String approval = id(as(userKey.path("plaintext_key").asString()).create("/approvals",
                Map.of("amount", 1, "reason", "attack suite")));

        Map<String, String> path = new HashMap<>(Map.ofEntries(
                Map.entry("orgId", org), Map.entry("workspaceId", workspace), Map.entry("groupId", group),
                Map.entry("agentId", agent), Map.entry("teamId", team), Map.entry("userId", user),
                Map.entry("projectId", project), Map.entry("memberId", agent), Map.entry("policyId", policy),
                Map.entry("budgetId", budget), Map.entry("credentialId", credential),
                Map.entry("transferId", id(transfer)), Map.entry("approvalId", approval),
                Map.entry("provider", "openai"), Map.entry("model", "gpt-4o"),
                Map.entry("requiredMetricName", "jvm.memory.used"), Map.entry("path", "liveness"),
                Map.entry("admin-keys.keyId", adminKey),
                Map.entry("/agents/{agentId}/keys/{keyId}/rotate keyId", agentKey),
                Map.entry("/agents/{agentId}/keys/{keyId} keyId", agentKey),
                Map.entry("/users/{userId}/keys/{keyId}/rotate keyId", id(userKey)),
                Map.entry("/users/{userId}/keys/{keyId} keyId", id(userKey))));
        Set<String> idsOfA = Set.of(org, workspace, group, agent, agentKey, team, user, email, project, policy,
                budget, credential, adminKey, id(transfer), approval);

        RouteAttack attack = new RouteAttack("http://localhost:" + port, ROUTES, path, idsOfA, ownerKey,
                ownerKeyOfB, PLATFORM_KEY, userKey.path("plaintext_key").asString());
        attack.withSampleBodies(sampleBodies(org, agent, user));
        List<String> findings = attack.run(RouteInventory.of(context), RouteInventory.takingBody(context));
        assertThat(findings).isEmpty();

        // Nothing of A's changed: the keys, the agent and the approval are as they were.
        assertThat(owner.read("/agents/" + agent).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(owner.read("/agents/" + agent + "/keys").get(0).path("is_active").asBoolean()).isTrue();
        assertThat(owner.read("/approvals/" + approval).path("status").asString()).isEqualTo("pending");
        assertThat(owner.read("/orgs/" + org + "/admin-keys").toString()).contains(adminKey);
    }

    /**
     * A body each body route accepts from the right caller, naming organisation A's ids where it names any: sent with
     * the keys that must be refused, so a refusal tests the key and the ids, not a missing body.
     */
    private static Map<String, String> sampleBodies(String org, String agent, String user) {
        Map<String, String> bodies = new HashMap<>();
        bodies.put("POST /orgs", "{\"name\": \"attack other\"}");
        bodies.put("PATCH /orgs/{orgId}", "{\"name\": \"renamed\"}");
        bodies.put("POST /orgs/{orgId}/admin-keys", "{\"name\": \"ops-2\"}");
        bodies.put("POST /orgs/{orgId}/admin-keys/{keyId}/rotate", "{\"grace_seconds\": 60}");
        bodies.put("POST /orgs/{orgId}/workspaces", "{\"name\": \"staging\"}");
        bodies.put("PATCH /workspaces/{workspaceId}", "{\"name\": \"renamed\"}");
        bodies.put("POST /workspaces/{workspaceId}/agent-groups", "{\"name\": \"more bots\"}");
        bodies.put("PATCH /agent-groups/{groupId}", "{\"name\": \"renamed bots\"}");
        bodies.put("POST /agent-groups/{groupId}/agents", "{\"name\": \"bot-2\"}");
        bodies.put("PATCH /agents/{agentId}", "{\"status\": \"DISABLED\"}");
        bodies.put("POST /agents/{agentId}/keys", "{\"name\": \"k2\"}");
        bodies.put("POST /agents/{agentId}/keys/{keyId}/rotate", "{\"grace_seconds\": 60}");
        bodies.put("POST /orgs/{orgId}/teams", "{\"name\": \"ops\"}");
        bodies.put("PATCH /teams/{teamId}", "{\"name\": \"renamed team\"}");
        bodies.put("POST /orgs/{orgId}/users", "{\"email\": \"john-" + UUID.randomUUID() + "@a.example\"}");
        bodies.put("PUT /users/{userId}", "{\"name\": \"Jane D\", \"personal_quota\": 5}");
        bodies.put("PATCH /users/{userId}", "{\"name\": \"Jane D\"}");
        bodies.put("POST /users/{userId}/keys", "{\"name\": \"laptop-2\"}");
        bodies.put("POST /users/{userId}/keys/{keyId}/rotate", "{\"grace_seconds\": 60}");
        bodies.put("POST /orgs/{orgId}/projects", "{\"name\": \"gemini\"}");
        bodies.put("PATCH /projects/{projectId}", "{\"is_active\": false}");
        bodies.put("POST /projects/{projectId}/members", "{\"agent_id\": \"" + agent + "\"}");
        bodies.put("POST /credits/purchase", "{\"org_id\": \"" + org + "\", \"amount\": 5, "
                + "\"idempotency_key\": \"attack-2\"}");
        bodies.put("POST /orgs/{orgId}/transfers", "{\"to_account_id\": \"" + user + "\", \"amount\": 1, "
                + "\"reason\": \"attack\"}");
        bodies.put("POST /policies", "{\"org_id\": \"" + org + "\", \"max_output_tokens\": 50}");
        bodies.put("PUT /policies/{policyId}", "{\"max_output_tokens\": 50}");
        bodies.put("POST /budgets", "{\"period\": \"DAILY\", \"limit_credits\": 10, \"agent_id\": \"" + agent
                + "\"}");
        bodies.put("PUT /budgets/{budgetId}", "{\"limit_credits\": 20}");
        bodies.put("POST /orgs/{orgId}/credentials", "{\"provider\": \"anthropic\", \"api_key\": "
                + "\"sk-ant-attack-key\"}");
        bodies.put("PUT /pricing/{provider}/{model}", "{\"input_usd_per_1k\": 1, \"output_usd_per_1k\": 2}");
        bodies.put("POST /approvals", "{\"amount\": 1, \"reason\": \"more\"}");
        bodies.put("POST /approvals/{approvalId}/approve", "{\"note\": \"ok\"}");
        bodies.put("POST /approvals/{approvalId}/reject", "{\"note\": \"no\"}");
        bodies.put("PUT /users/me/status", "{\"status\": \"active\"}");
        bodies.put("POST /users/me/transfer", "{\"recipient_id\": \"" + user + "\", \"amount\": 1, "
                + "\"reason\": \"thanks\"}");
        return bodies;
    }

    private static String id(JsonNode node) {
        return node.path("id").asString();
    }
}

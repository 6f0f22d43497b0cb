package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.testsupport.attack.BodyFuzz;
import dev.tally.testsupport.attack.MalformedBodies;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin route of governance that takes a body, sent jqwik-generated bodies it must refuse (wrong types, missing
 * required fields, numbers past the bounds up to Long.MAX_VALUE and beyond, 100 KB strings, unknown fields): each
 * answer is a 4xx naming the field, never a 5xx or a hang, and what the route would change reads the same afterwards.
 */
class MalformedBodiesIT extends GovernanceTestBase {

    /** Bodies per route: drawn from five kinds of fault, this many meet each kind on every route in most runs, and
     * keep the suite within the CI's time; a fault the draw misses once is drawn in other runs. */
    private static final int TRIES = 10;

    @Test
    void every_admin_body_route_refuses_malformed_bodies_naming_the_field_and_changes_nothing() {
        JsonNode created = platform().create("/orgs", Map.of("name", "fuzz " + UUID.randomUUID()));
        String org = created.path("id").asString();
        String ownerKey = created.path("owner_key").path("plaintext_key").asString();
        Admin owner = as(ownerKey);
        Admin.json(owner.post("/credits/purchase", Map.of("org_id", org, "amount", 1_000,
                "idempotency_key", "fuzz")), HttpStatus.CREATED);
        String workspace = created.path("default_workspace_id").asString();
        String group = id(owner.create("/workspaces/" + workspace + "/agent-groups", Map.of("name", "bots")));
        String agent = id(owner.create("/agent-groups/" + group + "/agents", Map.of("name", "bot-1")));
        String team = id(owner.create("/orgs/" + org + "/teams", Map.of("name", "research")));
        String user = id(owner.create("/orgs/" + org + "/users", Map.of("email", "jane@fuzz.example")));
        Admin.json(owner.post("/teams/" + team + "/members/" + user, null), HttpStatus.OK);
        String userKey = owner.create("/users/" + user + "/keys", Map.of("name", "laptop")).path("plaintext_key")
                .asString();
        String project = id(owner.create("/orgs/" + org + "/projects", Map.of("name", "apollo")));
        String budget = id(owner.create("/budgets", Map.of("period", "DAILY", "limit_credits", 10,
                "agent_id", agent)));

        BodyFuzz asOwner = new BodyFuzz("http://localhost:" + port, ownerKey);
        BodyFuzz asPlatform = new BodyFuzz("http://localhost:" + port, PLATFORM_KEY);
        BodyFuzz asUser = new BodyFuzz("http://localhost:" + port, userKey);
        List<String> findings = new ArrayList<>();

        findings.addAll(asPlatform.run("POST", "/orgs", MalformedBodies.of(body("name", "fuzz other",
                "credits_per_usd", 100, "critical_overdraft_limit", 0), Set.of("name"),
                Set.of("credits_per_usd", "critical_overdraft_limit")), TRIES, () -> read(platform(), "/orgs")));
        findings.addAll(asOwner.run("PATCH", "/orgs/" + org, MalformedBodies.of(body("name", "renamed org",
                "description", "changed"), Set.of(), Set.of()), TRIES, () -> read(owner, "/orgs/" + org)));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/admin-keys", MalformedBodies.of(body("name", "ops",
                "role", "org_admin"), Set.of("name"), Set.of()), TRIES,
                () -> read(owner, "/orgs/" + org + "/admin-keys")));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/workspaces", MalformedBodies.of(body("name",
                "staging"), Set.of("name"), Set.of()), TRIES, () -> read(owner, "/orgs/" + org + "/workspaces")));
        findings.addAll(asOwner.run("PATCH", "/workspaces/" + workspace, MalformedBodies.of(body("name",
                "renamed"), Set.of(), Set.of()), TRIES, () -> read(owner, "/workspaces/" + workspace)));
        findings.addAll(asOwner.run("POST", "/workspaces/" + workspace + "/agent-groups", MalformedBodies.of(
                body("name", "more bots", "description", "d"), Set.of("name"), Set.of()), TRIES,
                () -> read(owner, "/workspaces/" + workspace + "/agent-groups")));
        findings.addAll(asOwner.run("PATCH", "/agent-groups/" + group, MalformedBodies.of(body("name",
                "renamed bots", "description", "d"), Set.of(), Set.of()), TRIES,
                () -> read(owner, "/agent-groups/" + group)));
        findings.addAll(asOwner.run("POST", "/agent-groups/" + group + "/agents", MalformedBodies.of(body("name",
                "bot-2"), Set.of("name"), Set.of()), TRIES, () -> read(owner, "/agent-groups/" + group + "/agents")));
        findings.addAll(asOwner.run("PATCH", "/agents/" + agent, MalformedBodies.of(body("name", "bot-renamed",
                "status", "DISABLED"), Set.of(), Set.of()), TRIES, () -> read(owner, "/agents/" + agent)));
        findings.addAll(asOwner.run("POST", "/agents/" + agent + "/keys", MalformedBodies.of(body("name", "k2"),
                Set.of(), Set.of()), TRIES, () -> read(owner, "/agents/" + agent + "/keys")));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/teams", MalformedBodies.of(body("name", "ops",
                "description", "d", "common_pool", 5), Set.of("name"), Set.of("common_pool")), TRIES,
                () -> read(owner, "/orgs/" + org + "/teams")));
        findings.addAll(asOwner.run("PATCH", "/teams/" + team, MalformedBodies.of(body("name", "renamed team",
                "description", "d"), Set.of(), Set.of()), TRIES, () -> read(owner, "/teams/" + team)));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/users", MalformedBodies.of(body("email",
                "john@fuzz.example", "name", "John", "personal_quota", 5), Set.of("email"),
                Set.of("personal_quota")), TRIES, () -> read(owner, "/orgs/" + org + "/users")));
        findings.addAll(asOwner.run("PATCH", "/users/" + user, MalformedBodies.of(body("name", "Jane D",
                "personal_quota", 5), Set.of(), Set.of("personal_quota")), TRIES, () -> read(owner, "/users/" + user)));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/projects", MalformedBodies.of(body("name", "gemini",
                "description", "d"), Set.of("name"), Set.of()), TRIES,
                () -> read(owner, "/orgs/" + org + "/projects")));
        findings.addAll(asOwner.run("PATCH", "/projects/" + project, MalformedBodies.of(body("is_active", false),
                Set.of(), Set.of()), TRIES, () -> read(owner, "/projects/" + project)));
        findings.addAll(asOwner.run("POST", "/policies", MalformedBodies.of(body("org_id", org, "name", "p",
                "max_output_tokens", 100), Set.of(), Set.of("max_output_tokens")), TRIES,
                () -> read(owner, "/policies?org_id=" + org)));
        findings.addAll(asOwner.run("POST", "/budgets", MalformedBodies.of(body("period", "MONTHLY",
                "limit_credits", 10, "agent_id", agent), Set.of("period", "limit_credits"), Set.of("limit_credits")),
                TRIES, () -> read(owner, "/budgets?agent_id=" + agent)));
        findings.addAll(asOwner.run("PUT", "/budgets/" + budget, MalformedBodies.of(body("limit_credits", 20,
                "name", "renamed budget"), Set.of(), Set.of("limit_credits")), TRIES,
                () -> read(owner, "/budgets/" + budget)));
        findings.addAll(asOwner.run("POST", "/credits/purchase", MalformedBodies.of(body("org_id", org, "amount", 5,
                "idempotency_key", "fuzz-" + UUID.randomUUID()), Set.of("amount", "idempotency_key"),
                Set.of("amount")), TRIES, () -> read(owner, "/orgs/" + org + "/transfers")));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/transfers", MalformedBodies.of(body("to_account_id",
                agent, "amount", 1, "reason", "fuzz"), Set.of("to_account_id", "amount", "reason"),
                Set.of("amount")), TRIES, () -> read(owner, "/orgs/" + org + "/transfers")));
        findings.addAll(asOwner.run("POST", "/orgs/" + org + "/credentials", MalformedBodies.of(body("provider",
                "anthropic", "api_key", "sk-ant-fuzz-key"), Set.of("provider", "api_key"), Set.of()), TRIES,
                () -> read(owner, "/orgs/" + org + "/credentials")));
        findings.addAll(asPlatform.run("PUT", "/pricing/openai/fuzz-model", MalformedBodies.of(body(
                "input_usd_per_1k", 1, "output_usd_per_1k", 2), Set.of("input_usd_per_1k", "output_usd_per_1k"),
                Set.of("input_usd_per_1k", "output_usd_per_1k")), TRIES, () -> read(platform(), "/pricing")));
        findings.addAll(asUser.run("POST", "/approvals", MalformedBodies.of(body("amount", 1, "reason", "more"),
                Set.of("amount", "reason"), Set.of("amount")), TRIES, () -> read(as(userKey), "/approvals/mine")));
        findings.addAll(asUser.run("POST", "/users/me/transfer", MalformedBodies.of(body("recipient_id", agent,
                "amount", 1, "reason", "thanks"), Set.of("amount", "reason"), Set.of("amount")), TRIES,
                () -> read(owner, "/orgs/" + org + "/transfers")));

        assertThat(findings).isEmpty();
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private static String read(Admin caller, String path) {
        return caller.read(path).toString();
    }

    private static String id(JsonNode node) {
        return node.path("id").asString();
    }
}

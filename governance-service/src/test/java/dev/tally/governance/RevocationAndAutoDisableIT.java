package dev.tally.governance;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import dev.tally.servicekit.auth.KeyHash;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** What gateways learn from the state topic: revocations, and targets disabled by exhausted budgets. */
class RevocationAndAutoDisableIT extends GovernanceTestBase {

    @Test
    void a_revoked_key_is_published_as_revoked_and_stops_working() {
        TestOrg org = newOrg("Revocation", 0);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "r@r.example"));
        String userId = user.path("id").asString();
        String keyId = user.path("api_key").path("id").asString();
        String plaintext = user.path("api_key").path("plaintext_key").asString();
        String stateKey = "api-key:" + KeyHash.of(plaintext);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateTopic().get(stateKey).isPresent());
        as(plaintext).get("/users/me").expectStatus().isOk();

        long revokedAt = System.nanoTime();
        JsonNode revoked = Admin.json(org.owner().delete("/users/" + userId + "/keys/" + keyId), HttpStatus.OK);
        assertThat(revoked.path("is_active").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                assertThat(stateTopic().get(stateKey, ApiKeyState.class)).get()
                        .extracting(ApiKeyState::status).isEqualTo(KeyStatus.REVOKED));
        System.out.printf("revocation visible on %s %d ms after the DELETE answered%n",
                "tally.governance.state", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt));

        as(plaintext).get("/users/me").expectStatus().isUnauthorized();
        org.owner().delete("/users/" + userId + "/keys/" + keyId).expectStatus().isOk();
        org.owner().delete("/users/" + userId + "/keys/01a20000-0000-7000-8000-000000000000")
                .expectStatus().isNotFound();
    }

    @Test
    void admin_keys_are_published_with_their_role_and_revocation_so_other_services_can_authenticate_admins() {
        String platformState = "admin-key:" + KeyHash.of(PLATFORM_KEY);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get(platformState, AdminKeyState.class)).get()
                        .satisfies(key -> {
                            assertThat(key.role()).isEqualTo(AdminRole.PLATFORM_ADMIN);
                            assertThat(key.orgId()).isNull();
                            assertThat(key.status()).isEqualTo(KeyStatus.ACTIVE);
                        }));

        JsonNode org = platform().create("/orgs", Map.of("name", "Admin keys " + UUID.randomUUID()));
        String orgId = org.path("id").asString();
        Admin owner = as(org.path("owner_key").path("plaintext_key").asString());
        String ownerState = "admin-key:" + KeyHash.of(org.path("owner_key").path("plaintext_key").asString());
        JsonNode admin = owner.create("/orgs/" + orgId + "/admin-keys", Map.of("name", "ops"));
        String adminState = "admin-key:" + KeyHash.of(admin.path("plaintext_key").asString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().get(ownerState, AdminKeyState.class)).get()
                    .extracting(AdminKeyState::orgId, AdminKeyState::role, AdminKeyState::status)
                    .containsExactly(orgId, AdminRole.ORG_OWNER, KeyStatus.ACTIVE);
            assertThat(stateTopic().get(adminState, AdminKeyState.class)).get()
                    .extracting(AdminKeyState::orgId, AdminKeyState::role, AdminKeyState::status)
                    .containsExactly(orgId, AdminRole.ORG_ADMIN, KeyStatus.ACTIVE);
        });

        Admin.json(owner.delete("/orgs/" + orgId + "/admin-keys/" + admin.path("id").asString()), HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get(adminState, AdminKeyState.class)).get()
                        .extracting(AdminKeyState::status).isEqualTo(KeyStatus.REVOKED));
        // A plaintext never travels: only its hash is the record key and the key_hash field.
        assertThat(stateTopic().get(adminState, AdminKeyState.class).get().keyHash())
                .isEqualTo(adminState.substring("admin-key:".length()));
    }

    @Test
    void republishing_dates_revoked_keys_and_credentials_by_their_revocation() {
        TestOrg org = newOrg("Republish", 0);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "p@p.example"));
        String keyState = "api-key:" + KeyHash.of(user.path("api_key").path("plaintext_key").asString());
        String credentialId = org.owner().create("/orgs/" + org.id() + "/credentials",
                Map.of("provider", "openai", "api_key", "sk-republish-0123456789")).path("id").asString();
        String credentialState = "credential:" + credentialId;
        await().atMost(Duration.ofSeconds(10)).until(() -> stateTopic().versions(keyState) == 1
                && stateTopic().versions(credentialState) == 1);
        JsonNode key = Admin.json(org.owner().delete("/users/" + user.path("id").asString() + "/keys/"
                + user.path("api_key").path("id").asString()), HttpStatus.OK);
        JsonNode credential = Admin.json(org.owner().delete("/orgs/" + org.id() + "/credentials/" + credentialId),
                HttpStatus.OK);
        // Issued, then revoked.
        await().atMost(Duration.ofSeconds(10)).until(() -> stateTopic().versions(keyState) == 2
                && stateTopic().versions(credentialState) == 2);

        Admin.json(platform().post("/admin/republish", null), HttpStatus.OK);

        await().atMost(Duration.ofSeconds(10)).until(() -> stateTopic().versions(keyState) == 3
                && stateTopic().versions(credentialState) == 3);
        // The database keeps microseconds; the revocation's answer had the clock's full precision.
        assertThat(stateTopic().get(keyState, ApiKeyState.class)).get()
                .satisfies(k -> assertThat(k.status()).isEqualTo(KeyStatus.REVOKED))
                .extracting(ApiKeyState::updatedAt)
                .satisfies(at -> assertThat(at).isCloseTo(Instant.parse(key.path("revoked_at").asString()),
                        within(1, ChronoUnit.MILLIS)));
        assertThat(stateTopic().get(credentialState, CredentialState.class)).get()
                .satisfies(c -> assertThat(c.status()).isEqualTo(KeyStatus.REVOKED))
                .extracting(CredentialState::updatedAt)
                .satisfies(at -> assertThat(at).isCloseTo(Instant.parse(credential.path("revoked_at").asString()),
                        within(1, ChronoUnit.MILLIS)));
    }

    @Test
    void an_exhausted_auto_disable_budget_disables_its_agent_and_workspace() throws Exception {
        TestOrg org = newOrg("AutoDisable", 1_000);
        String workspace = org.owner().create("/orgs/" + org.id() + "/workspaces", Map.of("name", "prod"))
                .path("id").asString();
        String group = org.owner().create("/workspaces/" + workspace + "/agent-groups", Map.of("name", "bots"))
                .path("id").asString();
        String agent = org.owner().create("/agent-groups/" + group + "/agents", Map.of("name", "bot"))
                .path("id").asString();
        org.owner().create("/budgets", Map.of("period", "TOTAL", "limit_credits", 10, "auto_disable", true,
                "agent_id", agent));
        org.owner().create("/budgets", Map.of("period", "MONTHLY", "limit_credits", 10, "auto_disable", true,
                "workspace_id", workspace));
        JsonNode unaffected = org.owner().create("/budgets", Map.of("period", "DAILY", "limit_credits", 10,
                "auto_disable", false, "agent_group_id", group));
        String stagingWorkspace = org.owner().create("/orgs/" + org.id() + "/workspaces", Map.of("name", "staging"))
                .path("id").asString();
        String stagingGroup = org.owner().create("/workspaces/" + stagingWorkspace + "/agent-groups",
                Map.of("name", "bots")).path("id").asString();
        String disabledAgent = org.owner().create("/agent-groups/" + stagingGroup + "/agents",
                Map.of("name", "retired-bot")).path("id").asString();
        org.owner().create("/budgets", Map.of("period", "TOTAL", "limit_credits", 10, "auto_disable", true,
                "agent_id", disabledAgent));
        Admin.json(org.owner().patch("/agents/" + disabledAgent, Map.of("status", "DISABLED")), HttpStatus.OK);

        try (LedgerClient ledgerClient = new LedgerClient(new LedgerClientSettings(INFRA.kafkaBootstrapServers(),
                "tally/governance-it", Duration.ofSeconds(30)))) {
            // First, so that its exhaustion is handled before the one awaited below (one ledger, one partition).
            spendExactly(ledgerClient, org.id(), 10, new Scope(ScopeLevel.ORG, org.id()),
                    new Scope(ScopeLevel.WORKSPACE, stagingWorkspace), new Scope(ScopeLevel.GROUP, stagingGroup),
                    new Scope(ScopeLevel.MEMBER, disabledAgent));
            spendExactly(ledgerClient, org.id(), 10, new Scope(ScopeLevel.ORG, org.id()),
                    new Scope(ScopeLevel.WORKSPACE, workspace), new Scope(ScopeLevel.GROUP, group),
                    new Scope(ScopeLevel.MEMBER, agent));
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(org.owner().read("/agents/" + agent).path("status").asString()).isEqualTo("BUDGET_EXHAUSTED");
            assertThat(org.owner().read("/workspaces/" + workspace).path("is_active").asBoolean()).isFalse();
        });
        assertThat(org.owner().read("/agent-groups/" + group).path("is_active").asBoolean())
                .as("budget %s has auto_disable=false", unaffected.path("id").asString()).isTrue();
        assertThat(org.owner().read("/agents/" + disabledAgent).path("status").asString())
                .as("an administrator's DISABLED is not overwritten").isEqualTo("DISABLED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().get("member:" + agent, MemberState.class)).get()
                    .extracting(MemberState::status).isEqualTo(MemberStatus.BUDGET_EXHAUSTED);
            assertThat(stateTopic().get("workspace:" + workspace, WorkspaceState.class)).get()
                    .extracting(WorkspaceState::status).isEqualTo(EntityStatus.INACTIVE);
        });
        List<String> actions = org.owner().read("/orgs/" + org.id() + "/audit?limit=1000").findValues("action")
                .stream().map(JsonNode::asString).toList();
        assertThat(actions).as("nothing is audited for the agent that stayed disabled")
                .filteredOn("budget.auto-disabled"::equals).hasSize(2);

        JsonNode reenabled = Admin.json(org.owner().patch("/agents/" + agent, Map.of("status", "ACTIVE")),
                HttpStatus.OK);
        assertThat(reenabled.path("status").asString()).isEqualTo("ACTIVE");
    }

    /** What a gateway does for one request that spends exactly {@code credits}. */
    private static void spendExactly(LedgerClient ledgerClient, String orgId, long credits, Scope... chain)
            throws Exception {
        String reservation = UUID.randomUUID().toString();
        LedgerReply reserved = ledgerClient.send(new ReserveCreditCommand(UUID.randomUUID().toString(), orgId,
                reservation, List.of(chain), List.of(orgId), credits, Priority.NORMAL, 60)).get(30, TimeUnit.SECONDS);
        assertThat(reserved).isInstanceOf(CommandAcceptedReply.class);
        LedgerReply used = ledgerClient.send(new RecordUsageCommand(UUID.randomUUID().toString(), orgId,
                reservation, credits, 1000, 200, "mock-model", "mock")).get(30, TimeUnit.SECONDS);
        assertThat(used).isInstanceOf(CommandAcceptedReply.class);
    }
}

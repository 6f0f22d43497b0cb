package dev.tally.governance;

import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.ProjectMemberState;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what beyond the role table: the platform's hold on organisations, suspended users, the critical-priority
 * privilege and project membership.
 */
class PrivilegesIT extends GovernanceTestBase {

    @Test
    void only_a_platform_admin_reactivates_an_organisation() {
        TestOrg org = newOrg("Reactivation", 0);
        Admin.json(platform().patch("/orgs/" + org.id(), Map.of("is_active", false)), HttpStatus.OK);

        JsonNode refused = Admin.json(org.owner().patch("/orgs/" + org.id(), Map.of("is_active", true)),
                HttpStatus.FORBIDDEN);
        assertThat(refused.path("error").path("code").asString()).isEqualTo("forbidden");
        assertThat(refused.path("error").path("field").asString()).isEqualTo("is_active");
        assertThat(refused.path("error").path("message").asString()).contains("platform admin");
        org.owner().patch("/orgs/" + org.id(), Map.of("status", "ACTIVE")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.field").isEqualTo("status");
        assertThat(platform().read("/orgs/" + org.id()).path("status").asString()).isEqualTo("INACTIVE");

        JsonNode reactivated = Admin.json(platform().patch("/orgs/" + org.id(), Map.of("is_active", true)),
                HttpStatus.OK);
        assertThat(reactivated.path("status").asString()).isEqualTo("ACTIVE");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("org:" + org.id(), OrgState.class)).get()
                        .extracting(o -> o.status().name()).isEqualTo("ACTIVE"));

        // Switching itself off stays the organisation's own emergency stop.
        assertThat(Admin.json(org.owner().patch("/orgs/" + org.id(), Map.of("is_active", false)), HttpStatus.OK)
                .path("status").asString()).isEqualTo("INACTIVE");
    }

    @Test
    void only_a_platform_admin_changes_the_credit_rate() {
        TestOrg org = newOrg("Rate", 0);

        JsonNode refused = Admin.json(org.owner().patch("/orgs/" + org.id(), Map.of("credits_per_usd", 1_000)),
                HttpStatus.FORBIDDEN);
        assertThat(refused.path("error").path("field").asString()).isEqualTo("credits_per_usd");
        assertThat(Admin.json(org.owner().patch("/orgs/" + org.id(), Map.of("credits_per_usd", 100,
                "name", "Rate renamed")), HttpStatus.OK).path("name").asString())
                .as("sending the unchanged rate with other changes").isEqualTo("Rate renamed");

        assertThat(Admin.json(platform().patch("/orgs/" + org.id(), Map.of("credits_per_usd", 1_000)), HttpStatus.OK)
                .path("credits_per_usd").asLong()).isEqualTo(1_000);
    }

    @Test
    void a_suspended_user_cannot_transfer_credits() {
        TestOrg org = newOrg("Suspended transfer", 1_000);
        JsonNode sender = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "s@t.example", "personal_quota", 500));
        org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "r@t.example"));
        Admin senderKey = as(sender.path("api_key").path("plaintext_key").asString());
        Admin.json(org.owner().patch("/users/" + sender.path("id").asString(), Map.of("status", "suspended")),
                HttpStatus.OK);

        JsonNode refused = Admin.json(senderKey.post("/users/me/transfer", Map.of("recipient_email", "r@t.example",
                "amount", 100, "reason", "before leaving")), HttpStatus.FORBIDDEN);

        assertThat(refused.path("error").path("message").asString()).contains("suspended");
        assertThat(org.owner().read("/users/" + sender.path("id").asString()).path("personal_quota").asLong())
                .isEqualTo(500);
    }

    @Test
    void a_suspended_team_admin_cannot_approve_or_reject_quota_requests() {
        TestOrg org = newOrg("Suspended admin", 5_000);
        String teamId = org.owner().create("/orgs/" + org.id() + "/teams",
                Map.of("name", "Ops", "common_pool", 1_000)).path("id").asString();
        JsonNode lead = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "lead@s.example", "team_id", teamId, "is_team_admin", true));
        JsonNode dev = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "dev@s.example", "team_id", teamId));
        Admin leadKey = as(lead.path("api_key").path("plaintext_key").asString());
        String requestId = as(dev.path("api_key").path("plaintext_key").asString())
                .create("/approvals", Map.of("amount", 100, "reason", "tests")).path("id").asString();
        Admin.json(org.owner().patch("/users/" + lead.path("id").asString(), Map.of("status", "suspended")),
                HttpStatus.OK);

        JsonNode approve = Admin.json(leadKey.post("/approvals/" + requestId + "/approve", null),
                HttpStatus.FORBIDDEN);
        assertThat(approve.path("error").path("message").asString()).contains("suspended");
        leadKey.post("/approvals/" + requestId + "/reject", null).expectStatus().isForbidden();
        assertThat(org.owner().read("/approvals/" + requestId).path("status").asString()).isEqualTo("pending");
    }

    @Test
    void allow_critical_priority_is_a_policy_rule_published_to_gateways_but_not_for_projects() {
        TestOrg org = newOrg("Critical", 0);
        String teamId = org.owner().create("/orgs/" + org.id() + "/teams", Map.of("name", "On call"))
                .path("id").asString();

        JsonNode policy = org.owner().create("/policies", Map.of("team_id", teamId, "allow_critical_priority", true));
        assertThat(policy.path("allow_critical_priority").asBoolean()).isTrue();
        String policyId = policy.path("id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("policy:" + policyId, PolicyState.class)).get()
                        .extracting(PolicyState::allowCriticalPriority).isEqualTo(true));

        JsonNode replaced = Admin.json(org.owner().put("/policies/" + policyId, Map.of("rpm_limit", 60)),
                HttpStatus.OK);
        assertThat(replaced.path("allow_critical_priority").isNull()).as("replaced with the other rules").isTrue();

        String projectId = org.owner().create("/orgs/" + org.id() + "/projects", Map.of("name", "Apollo"))
                .path("id").asString();
        org.owner().post("/policies", Map.of("project_id", projectId, "allow_critical_priority", true))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("allow_critical_priority");
    }

    @Test
    void project_members_are_users_agents_teams_and_agent_groups_of_its_organisation_published_to_gateways() {
        TestOrg org = newOrg("Project members", 0);
        String projectId = org.owner().create("/orgs/" + org.id() + "/projects", Map.of("name", "Apollo"))
                .path("id").asString();
        String teamId = org.owner().create("/orgs/" + org.id() + "/teams", Map.of("name", "Analysts"))
                .path("id").asString();
        String userId = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "u@m.example"))
                .path("id").asString();
        String groupId = org.owner().create("/workspaces/" + org.defaultWorkspaceId() + "/agent-groups",
                Map.of("name", "Bots")).path("id").asString();
        String agentId = org.owner().create("/agent-groups/" + groupId + "/agents", Map.of("name", "bot-1"))
                .path("id").asString();
        String members = "/projects/" + projectId + "/members";

        JsonNode user = org.owner().create(members, Map.of("user_id", userId));
        assertThat(user.path("member_type").asString()).isEqualTo("user");
        assertThat(user.path("member_id").asString()).isEqualTo(userId);
        assertThat(user.path("name").asString()).isEqualTo("u@m.example");
        org.owner().create(members, Map.of("team_id", teamId));
        org.owner().create(members, Map.of("agent_id", agentId));
        org.owner().create(members, Map.of("agent_group_id", groupId));
        assertThat(Admin.json(org.owner().post(members, Map.of("user_id", userId)), HttpStatus.OK)
                .path("member_id").asString()).as("adding a member again").isEqualTo(userId);

        List<JsonNode> listed = new ArrayList<>();
        org.owner().read(members).forEach(listed::add);
        assertThat(listed).extracting(m -> m.path("member_type").asString(), m -> m.path("member_id").asString())
                .containsExactlyInAnyOrder(tuple("user", userId), tuple("team", teamId), tuple("agent", agentId),
                        tuple("agent_group", groupId));
        String userState = "project-member:" + projectId + "/" + userId;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().get(userState, ProjectMemberState.class)).get()
                    .extracting(ProjectMemberState::member).isEqualTo(new Scope(ScopeLevel.MEMBER, userId));
            assertThat(stateTopic().get("project-member:" + projectId + "/" + teamId, ProjectMemberState.class))
                    .get().extracting(ProjectMemberState::member).isEqualTo(new Scope(ScopeLevel.GROUP, teamId));
        });

        assertThat(Admin.json(org.owner().delete(members + "/" + userId), HttpStatus.OK).path("member_id").asString())
                .isEqualTo(userId);
        await().atMost(Duration.ofSeconds(10)).until(() -> stateTopic().deleted(userState));
        org.owner().delete(members + "/" + userId).expectStatus().isNotFound();
        List<String> actions = new ArrayList<>();
        org.owner().read("/orgs/" + org.id() + "/audit?limit=1000").forEach(e -> actions.add(e.path("action").asString()));
        assertThat(actions).contains("project.member-added", "project.member-removed");
    }

    @Test
    void a_project_member_is_exactly_one_member_of_the_projects_organisation() {
        TestOrg org = newOrg("Project refusals", 0);
        TestOrg other = newOrg("Other tenant", 0);
        String projectId = org.owner().create("/orgs/" + org.id() + "/projects", Map.of("name", "Apollo"))
                .path("id").asString();
        String userId = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "u@r.example"))
                .path("id").asString();
        String foreignUser = other.owner().create("/orgs/" + other.id() + "/users", Map.of("email", "f@r.example"))
                .path("id").asString();
        String members = "/projects/" + projectId + "/members";

        org.owner().post(members, Map.of()).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.error.code").isEqualTo("invalid_target");
        org.owner().post(members, Map.of("user_id", userId, "team_id", userId))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        org.owner().post(members, Map.of("user_id", foreignUser)).expectStatus().isNotFound();
        platform().post(members, Map.of("user_id", foreignUser)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("user_id");
        org.owner().post(members, Map.of("agent_id", userId)).expectStatus().isNotFound();
        other.owner().post(members, Map.of("user_id", foreignUser)).expectStatus().isNotFound();
        assertThat(org.owner().read(members)).isEmpty();
    }
}

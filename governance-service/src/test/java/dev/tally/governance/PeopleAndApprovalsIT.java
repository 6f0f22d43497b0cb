package dev.tally.governance;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.testsupport.AlertTopic;
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

/** The people track: teams with pools, users with quotas, vacation, transfers, approvals. */
class PeopleAndApprovalsIT extends GovernanceTestBase {

    @Test
    void teams_and_users_are_funded_from_the_org_pool_through_the_ledger() {
        TestOrg org = newOrg("People", 20_000);
        JsonNode team = org.owner().create("/orgs/" + org.id() + "/teams",
                Map.of("name", "Engineering", "description", "Software development team", "common_pool", 5_000));
        String teamId = team.path("id").asString();
        assertThat(team.path("allocation").path("status").asString()).isEqualTo("APPLIED");
        assertThat(team.path("common_pool").asLong()).isEqualTo(5_000);

        JsonNode alice = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "Alice@Company.com", "name", "Alice", "personal_quota", 1_000, "team_id", teamId));
        assertThat(alice.path("email").asString()).isEqualTo("alice@company.com");
        assertThat(alice.path("personal_quota").asLong()).isEqualTo(1_000);
        assertThat(alice.path("team_id").asString()).isEqualTo(teamId);
        assertThat(alice.path("status").asString()).isEqualTo("active");
        assertThat(alice.path("api_key").path("plaintext_key").asString()).startsWith("cpk_");

        JsonNode balance = org.owner().read("/orgs/" + org.id() + "/balance");
        assertThat(balance.path("balance").asLong()).isEqualTo(14_000);
        assertThat(balance.path("allocated").asLong()).isEqualTo(6_000);

        org.owner().post("/orgs/" + org.id() + "/users", Map.of("email", "alice@company.com"))
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.field").isEqualTo("email")
                .jsonPath("$.error.code").isEqualTo("duplicate_email");

        JsonNode tooMuch = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "bob@company.com", "personal_quota", 1_000_000));
        assertThat(tooMuch.path("allocation").path("status").asString())
                .as("the ledger refuses what the org pool cannot fund").isEqualTo("REFUSED");
        assertThat(tooMuch.path("personal_quota").asLong()).isZero();
    }

    @Test
    void users_manage_their_own_status_and_give_credits_to_colleagues() {
        TestOrg org = newOrg("Vacation", 10_000);
        JsonNode alice = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "alice@v.example", "personal_quota", 2_000));
        JsonNode bob = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "bob@v.example", "personal_quota", 500));
        Admin aliceKey = as(alice.path("api_key").path("plaintext_key").asString());

        assertThat(aliceKey.read("/users/me").path("email").asString()).isEqualTo("alice@v.example");
        JsonNode away = Admin.json(aliceKey.put("/users/me/status?status=on_vacation", null), HttpStatus.OK);
        assertThat(away.path("status").asString()).isEqualTo("on_vacation");
        String aliceId = alice.path("id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("member:" + aliceId, MemberState.class)).get()
                        .extracting(MemberState::status).isEqualTo(MemberStatus.ON_VACATION));

        JsonNode gift = Admin.json(aliceKey.post("/users/me/transfer", Map.of("recipient_email", "bob@v.example",
                "amount", 500, "reason", "Project deadline support")), HttpStatus.CREATED);
        assertThat(gift.path("status").asString()).isEqualTo("APPLIED");
        assertThat(org.owner().read("/users/" + bob.path("id").asString()).path("personal_quota").asLong())
                .isEqualTo(1_000);
        assertThat(org.owner().read("/users/" + aliceId).path("personal_quota").asLong()).isEqualTo(1_500);

        aliceKey.post("/users/me/transfer", Map.of("recipient_email", "bob@v.example", "amount", 5_000,
                        "reason", "more than I have"))
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("transfer_refused");

        JsonNode history = org.owner().read("/orgs/" + org.id() + "/transfers?account_id=" + aliceId);
        List<String> kinds = new ArrayList<>();
        history.forEach(t -> kinds.add(t.path("kind").asString() + ":" + t.path("status").asString()));
        assertThat(kinds).contains("ALLOCATION:APPLIED", "MEMBER_TRANSFER:APPLIED", "MEMBER_TRANSFER:REFUSED");

        JsonNode reallocation = Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers",
                Map.of("from_account_id", bob.path("id").asString(), "to_account_id", aliceId, "amount", 100,
                        "reason", "rebalancing")), HttpStatus.CREATED);
        assertThat(reallocation.path("kind").asString()).isEqualTo("REALLOCATION");
        assertThat(Admin.json(org.owner().put("/users/" + aliceId, Map.of("personal_quota", 3_000)), HttpStatus.OK)
                .path("personal_quota").asLong()).as("setting the quota moves the difference").isEqualTo(3_000);
    }

    @Test
    void a_suspended_user_reads_their_record_but_cannot_set_themselves_active() {
        TestOrg org = newOrg("Suspension", 0);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "s@s.example"));
        Admin userKey = as(user.path("api_key").path("plaintext_key").asString());
        Admin.json(org.owner().patch("/users/" + user.path("id").asString(), Map.of("status", "suspended")),
                HttpStatus.OK);

        JsonNode refused = Admin.json(userKey.put("/users/me/status", Map.of("status", "active")),
                HttpStatus.FORBIDDEN);
        assertThat(refused.path("error").path("code").asString()).isEqualTo("forbidden");
        assertThat(refused.path("error").path("message").asString()).contains("administrator");
        userKey.put("/users/me/status?status=on_vacation", null).expectStatus().isForbidden();
        assertThat(userKey.read("/users/me").path("status").asString()).isEqualTo("suspended");
    }

    @Test
    void a_transfer_to_oneself_names_the_recipient_field_that_was_sent() {
        TestOrg org = newOrg("SelfTransfer", 1_000);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "me@t.example", "personal_quota", 100));
        Admin userKey = as(user.path("api_key").path("plaintext_key").asString());

        JsonNode byId = Admin.json(userKey.post("/users/me/transfer", Map.of("recipient_id",
                user.path("id").asString(), "amount", 1, "reason", "to myself")), HttpStatus.BAD_REQUEST);
        assertThat(byId.path("error").path("field").asString()).isEqualTo("recipient_id");
        JsonNode byEmail = Admin.json(userKey.post("/users/me/transfer", Map.of("recipient_email", "me@t.example",
                "amount", 1, "reason", "to myself")), HttpStatus.BAD_REQUEST);
        assertThat(byEmail.path("error").path("field").asString()).isEqualTo("recipient_email");
    }

    @Test
    void a_quota_request_is_approved_by_the_team_admin_or_rejected_and_every_step_is_audited() {
        TestOrg org = newOrg("Approvals", 10_000);
        String teamId = org.owner().create("/orgs/" + org.id() + "/teams",
                Map.of("name", "Data", "common_pool", 2_000)).path("id").asString();
        JsonNode lead = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "lead@a.example"));
        JsonNode dev = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "dev@a.example", "personal_quota", 100));
        Admin.json(org.owner().post("/teams/" + teamId + "/members/" + lead.path("id").asString() + "?is_admin=true",
                null), HttpStatus.OK);
        Admin.json(org.owner().post("/teams/" + teamId + "/members/" + dev.path("id").asString(), null),
                HttpStatus.OK);
        Admin leadKey = as(lead.path("api_key").path("plaintext_key").asString());
        Admin devKey = as(dev.path("api_key").path("plaintext_key").asString());

        JsonNode request = devKey.create("/approvals", Map.of("amount", 500, "reason", "Quarter-end analysis"));
        assertThat(request.path("status").asString()).isEqualTo("pending");
        String requestId = request.path("id").asString();
        assertThat(leadKey.read("/approvals/pending")).extracting(a -> a.path("id").asString())
                .containsExactly(requestId);
        devKey.post("/approvals/" + requestId + "/approve", null).expectStatus().isNotFound();

        JsonNode approved = Admin.json(leadKey.post("/approvals/" + requestId + "/approve",
                Map.of("note", "go ahead")), HttpStatus.OK);
        assertThat(approved.path("status").asString()).isEqualTo("approved");
        assertThat(approved.path("transfer").path("from_account_id").asString()).isEqualTo(teamId);
        assertThat(devKey.read("/users/me").path("personal_quota").asLong()).isEqualTo(600);
        assertThat(org.owner().read("/teams/" + teamId).path("common_pool").asLong()).isEqualTo(1_500);
        leadKey.post("/approvals/" + requestId + "/approve", null).expectStatus().isEqualTo(HttpStatus.CONFLICT);

        String second = devKey.create("/approvals", Map.of("amount", 50_000, "reason", "a lot")).path("id").asString();
        org.owner().post("/approvals/" + second + "/approve", null)
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("transfer_refused");
        assertThat(devKey.read("/approvals/" + second).path("status").asString())
                .as("a refused transfer puts the request back to pending").isEqualTo("pending");
        assertThat(Admin.json(org.owner().post("/approvals/" + second + "/reject", Map.of("note", "too much")),
                HttpStatus.OK).path("status").asString()).isEqualTo("rejected");

        List<String> actions = new ArrayList<>();
        org.owner().read("/orgs/" + org.id() + "/audit?limit=1000").forEach(e -> actions.add(e.path("action").asString()));
        assertThat(actions).containsSubsequence("approval.requested", "approval.approved", "approval.requested",
                "approval.transfer-refused", "approval.rejected");

        // As in the replaced products: requests and decisions reach people through notification-service's tally.alerts.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                AlertTopic.of(INFRA.kafkaBootstrapServers(), org.id()))
                .extracting(Alert::alertId, Alert::kind, Alert::approvalId, Alert::memberId)
                .containsExactlyInAnyOrder(
                        tuple("approval-requested:" + requestId, AlertKind.APPROVAL_REQUESTED, requestId,
                                dev.path("id").asString()),
                        tuple("approval-decided:" + requestId, AlertKind.APPROVAL_DECIDED, requestId,
                                dev.path("id").asString()),
                        tuple("approval-requested:" + second, AlertKind.APPROVAL_REQUESTED, second,
                                dev.path("id").asString()),
                        tuple("approval-decided:" + second, AlertKind.APPROVAL_DECIDED, second,
                                dev.path("id").asString())));
        assertThat(AlertTopic.of(INFRA.kafkaBootstrapServers(), org.id()))
                .filteredOn(alert -> alert.kind() == AlertKind.APPROVAL_DECIDED)
                .extracting(Alert::title)
                .containsExactlyInAnyOrder("Quota request approved: 500 credits",
                        "Quota request rejected: 50000 credits");
    }
}

package dev.tally.e2e;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Governance;
import dev.tally.e2e.support.Org;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * People (TokenPool): users with personal quotas in a team. A request beyond the personal quota is a 402 that says
 * how to ask for more; X-Priority: critical draws on the team pool once a policy allows it; a teammate on vacation
 * shares it; an approved request adds to the quota.
 */
@Order(2)
@ExtendWith(E2EStack.class)
class UsersAndTeamsIT {

    /** Reserves 5 credits (20,000 tokens of mock-model output at most), costs 1. */
    private static final long EXPENSIVE = 20_000;

    @Test
    void personal_quota_then_402_with_the_approval_hint_critical_priority_vacation_sharing_and_approval() {
        Org org = Org.create("People");
        org.purchase(10_000, "people");
        String team = org.owner().post("/orgs/" + org.id() + "/teams", Map.of("name", "Engineering",
                "common_pool", 1_000)).path("id").asString();
        JsonNode alice = org.owner().post("/orgs/" + org.id() + "/users", Map.of("email", "alice@people.example",
                "personal_quota", 2, "team_id", team));
        assertThat(alice.path("allocation").path("status").asString()).isEqualTo("APPLIED");
        String aliceKey = alice.path("api_key").path("plaintext_key").asString();
        String bobKey = org.owner().post("/orgs/" + org.id() + "/users", Map.of("email", "bob@people.example",
                "personal_quota", 100, "team_id", team, "is_team_admin", true))
                .path("api_key").path("plaintext_key").asString();
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(aliceKey);
        gateway.awaitKnown(bobKey);
        List<ChatCompletion> paid = new ArrayList<>();

        // Within her personal quota: a one-credit request.
        paid.add(Gateway.complete(gateway.client(0, aliceKey), "Hi", 16));

        // Beyond it (5 credits reserved, 1 left): refused, with how to get more.
        assertThatThrownBy(() -> expensive(gateway.client(1, aliceKey)))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(402);
                    assertThat(e.code()).hasValue("insufficient_credits");
                    assertThat(e.getMessage()).contains("POST /approvals")
                            .contains("X-Priority: critical");
                });

        // Critical priority draws on the team pool, for members a policy allows it: refused until then.
        assertThatThrownBy(() -> expensive(gateway.client(0, aliceKey, Map.of("X-Priority", "critical"))))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.code()).hasValue("priority_not_allowed");
                });
        org.owner().post("/policies", Map.of("team_id", team, "allow_critical_priority", true));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                paid.add(expensive(gateway.client(0, aliceKey, Map.of("X-Priority", "critical")))));

        // Bob (her teammate) on vacation: Alice's normal request may use the team pool too.
        Governance bob = E2EStack.platform().as(bobKey);
        assertThat(bob.put("/users/me/status?status=on_vacation", null).path("status").asString())
                .isEqualTo("on_vacation");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                paid.add(expensive(gateway.client(1, aliceKey))));
        bob.put("/users/me/status?status=active", null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> expensive(gateway.client(0, aliceKey)))
                        .isInstanceOfSatisfying(OpenAIServiceException.class,
                                e -> assertThat(e.statusCode()).isEqualTo(402)));

        // The hint's way out: Alice asks, Bob (team admin) approves from the team pool, her request goes through.
        Governance aliceGov = E2EStack.platform().as(aliceKey);
        String approval = aliceGov.post("/approvals", Map.of("amount", 50, "reason", "release crunch"))
                .path("id").asString();
        JsonNode approved = bob.post("/approvals/" + approval + "/approve", Map.of("note", "ok"));
        assertThat(approved.path("status").asString()).isEqualTo("approved");
        assertThat(approved.path("transfer").path("status").asString()).isEqualTo("APPLIED");
        paid.add(expensive(gateway.client(1, aliceKey)));

        long charged = paid.stream().mapToLong(Gateway::creditsCharged).sum();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode ledger = E2EStack.ledger().view(org.id());
            long total = 0;
            for (JsonNode account : ledger.path("accounts")) {
                total += account.path("balance").asLong();
            }
            assertThat(total).as("the org's accounts together: purchase minus the charges")
                    .isEqualTo(10_000 - charged);
            assertThat(ledger.path("reservations")).isEmpty();
        });
    }

    private static ChatCompletion expensive(OpenAIClient client) {
        return Gateway.complete(client, "Explain budgets", EXPENSIVE);
    }
}

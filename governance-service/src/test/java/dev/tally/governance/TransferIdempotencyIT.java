package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A transfer retried with its idempotency key is the first transfer, never a second movement. */
class TransferIdempotencyIT extends GovernanceTestBase {

    @Test
    void a_transfer_retried_with_its_key_answers_the_first_transfer_and_moves_credits_once() {
        TestOrg org = newOrg("Retry", 10_000);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "retry@i.example"))
                .path("id").asString();
        Map<String, Object> body = Map.of("to_account_id", user, "amount", 250, "reason", "onboarding",
                "idempotency_key", "onboarding-retry");

        JsonNode first = Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers", body), HttpStatus.CREATED);
        JsonNode retry = Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers", body), HttpStatus.CREATED);

        assertThat(retry.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(retry.path("status").asString()).isEqualTo("APPLIED");
        assertThat(org.owner().read("/users/" + user).path("personal_quota").asLong()).isEqualTo(250);
        assertThat(org.owner().read("/orgs/" + org.id() + "/balance").path("balance").asLong()).isEqualTo(9_750);
    }

    @Test
    void a_key_used_for_another_transfer_is_refused_naming_idempotency_key() {
        TestOrg org = newOrg("Reuse", 10_000);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "reuse@i.example"))
                .path("id").asString();
        Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers", Map.of("to_account_id", user, "amount", 100,
                "reason", "first", "idempotency_key", "k-1")), HttpStatus.CREATED);

        org.owner().post("/orgs/" + org.id() + "/transfers", Map.of("to_account_id", user, "amount", 101,
                        "reason", "first", "idempotency_key", "k-1"))
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("idempotency_key_reused")
                .jsonPath("$.error.field").isEqualTo("idempotency_key");
        assertThat(org.owner().read("/users/" + user).path("personal_quota").asLong()).isEqualTo(100);
    }

    @Test
    void keys_are_scoped_per_organisation() {
        TestOrg one = newOrg("Scope one", 1_000);
        TestOrg two = newOrg("Scope two", 1_000);
        String userOne = one.owner().create("/orgs/" + one.id() + "/users", Map.of("email", "a@one.example"))
                .path("id").asString();
        String userTwo = two.owner().create("/orgs/" + two.id() + "/users", Map.of("email", "a@two.example"))
                .path("id").asString();

        JsonNode inOne = Admin.json(one.owner().post("/orgs/" + one.id() + "/transfers", Map.of("to_account_id",
                userOne, "amount", 10, "reason", "same key", "idempotency_key", "shared")), HttpStatus.CREATED);
        JsonNode inTwo = Admin.json(two.owner().post("/orgs/" + two.id() + "/transfers", Map.of("to_account_id",
                userTwo, "amount", 20, "reason", "same key", "idempotency_key", "shared")), HttpStatus.CREATED);

        assertThat(inTwo.path("id").asString()).isNotEqualTo(inOne.path("id").asString());
        assertThat(two.owner().read("/users/" + userTwo).path("personal_quota").asLong()).isEqualTo(20);
    }

    @Test
    void a_member_transfer_retried_with_its_key_gives_once() {
        TestOrg org = newOrg("Gift retry", 10_000);
        JsonNode alice = org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "alice@gift.example", "personal_quota", 1_000));
        String bob = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "bob@gift.example"))
                .path("id").asString();
        Admin aliceKey = as(alice.path("api_key").path("plaintext_key").asString());
        Map<String, Object> gift = Map.of("recipient_id", bob, "amount", 300, "reason", "deadline",
                "idempotency_key", "gift-1");

        JsonNode first = Admin.json(aliceKey.post("/users/me/transfer", gift), HttpStatus.CREATED);
        JsonNode retry = Admin.json(aliceKey.post("/users/me/transfer", gift), HttpStatus.CREATED);

        assertThat(retry.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(org.owner().read("/users/" + bob).path("personal_quota").asLong()).isEqualTo(300);
        aliceKey.post("/users/me/transfer", Map.of("recipient_id", bob, "amount", 1, "reason", "deadline",
                        "idempotency_key", "gift-1"))
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.field").isEqualTo("idempotency_key");
    }

    @Test
    void a_members_key_is_their_own_so_a_colleagues_transfer_is_neither_refused_nor_revealed() {
        TestOrg org = newOrg("Gift keys", 10_000);
        Admin alice = as(org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "alice@keys.example", "personal_quota", 1_000)).path("api_key")
                .path("plaintext_key").asString());
        Admin bob = as(org.owner().create("/orgs/" + org.id() + "/users",
                Map.of("email", "bob@keys.example", "personal_quota", 1_000)).path("api_key")
                .path("plaintext_key").asString());
        String carol = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "carol@keys.example"))
                .path("id").asString();

        JsonNode fromAlice = Admin.json(alice.post("/users/me/transfer", Map.of("recipient_id", carol,
                "amount", 300, "reason", "deadline", "idempotency_key", "gift-1")), HttpStatus.CREATED);
        String fromBob = bob.post("/users/me/transfer", Map.of("recipient_id", carol, "amount", 5,
                        "reason", "deadline", "idempotency_key", "gift-1"))
                .expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(fromBob).doesNotContain(fromAlice.path("id").asString());
        assertThat(org.owner().read("/users/" + carol).path("personal_quota").asLong()).isEqualTo(305);
    }

    @Test
    void amounts_beyond_ten_to_the_fifteen_credits_are_refused_naming_the_field() {
        TestOrg org = newOrg("Bounds", 0);
        org.owner().post("/orgs/" + org.id() + "/transfers", Map.of("to_account_id", org.id(), "amount",
                        1_000_000_000_000_001L, "reason", "typo"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("amount");
        org.owner().post("/credits/purchase", Map.of("org_id", org.id(), "amount", Long.MAX_VALUE,
                        "idempotency_key", "huge"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("amount");
        platform().patch("/orgs/" + org.id(), Map.of("credits_per_usd", 1_000_001))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("credits_per_usd");
    }
}

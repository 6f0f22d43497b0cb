package dev.tally.governance;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import dev.tally.governance.auth.ApiKeys;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Keys that expire, keys that are rotated with a grace period, and when each key was last used. */
class KeyLifecycleIT extends GovernanceTestBase {

    /** How long the tests' expiring keys live: long enough to use them first on a slow machine. */
    private static final Duration LIFETIME = Duration.ofSeconds(10);

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Test
    void an_admin_key_works_until_its_expiry_then_answers_401() {
        TestOrg org = newOrg("Expiring admin", 0);
        Instant expiresAt = Instant.now().plus(LIFETIME).truncatedTo(ChronoUnit.MILLIS);
        JsonNode created = org.owner().create("/orgs/" + org.id() + "/admin-keys",
                Map.of("name", "temporary", "expires_at", expiresAt.toString()));
        Admin temporary = as(created.path("plaintext_key").asString());
        temporary.get("/orgs/" + org.id()).expectStatus().isOk();
        assertThat(Instant.parse(created.path("expires_at").asString())).isEqualTo(expiresAt);
        String stateKey = "admin-key:" + ApiKeys.hash(created.path("plaintext_key").asString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get(stateKey, AdminKeyState.class)).get()
                        .extracting(AdminKeyState::expiresAt).isEqualTo(expiresAt));

        await().atMost(LIFETIME.plusSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                temporary.get("/orgs/" + org.id()).expectStatus().isUnauthorized()
                        .expectBody().jsonPath("$.error.code").isEqualTo("unauthenticated")
                        .jsonPath("$.error.message").value(message -> assertThat((String) message)
                                .contains("expired")));
        JsonNode listed = adminKey(org, created.path("id").asString());
        assertThat(listed.path("is_active").asBoolean()).isFalse();
    }

    @Test
    void a_gateway_key_past_its_expiry_answers_401_here_too() {
        TestOrg org = newOrg("Expiring key", 0);
        String userId = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "e@e.example"))
                .path("id").asString();
        Instant expiresAt = Instant.now().plus(LIFETIME);
        JsonNode key = org.owner().create("/users/" + userId + "/keys",
                Map.of("name", "short-lived", "expires_at", expiresAt.toString()));
        String plaintext = key.path("plaintext_key").asString();
        as(plaintext).get("/users/me").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("api-key:" + ApiKeys.hash(plaintext), ApiKeyState.class)).get()
                        .extracting(ApiKeyState::expiresAt).isNotNull());

        await().atMost(LIFETIME.plusSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(plaintext).get("/users/me").expectStatus().isUnauthorized());
    }

    @Test
    void an_expiry_in_the_past_or_not_a_date_is_refused_naming_expires_at() {
        TestOrg org = newOrg("Past expiry", 0);
        String userId = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "p@p.example"))
                .path("id").asString();
        String past = Instant.now().minusSeconds(60).toString();

        for (var response : new WebTestClient.ResponseSpec[] {
                org.owner().post("/orgs/" + org.id() + "/admin-keys", Map.of("name", "old", "expires_at", past)),
                org.owner().post("/users/" + userId + "/keys", Map.of("expires_at", past)),
                org.owner().post("/users/" + userId + "/keys", Map.of("expires_at", "tomorrow"))}) {
            response.expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.error.code").isEqualTo("invalid_field")
                    .jsonPath("$.error.field").isEqualTo("expires_at");
        }
        assertThat(org.owner().read("/users/" + userId + "/keys")).hasSize(1);
    }

    @Test
    void a_rotated_admin_key_and_its_successor_both_work_until_the_grace_deadline_then_only_the_successor() {
        TestOrg org = newOrg("Rotation", 0);
        JsonNode ops = org.owner().create("/orgs/" + org.id() + "/admin-keys", Map.of("name", "ops"));
        Admin old = as(ops.path("plaintext_key").asString());
        String oldState = "admin-key:" + ApiKeys.hash(ops.path("plaintext_key").asString());

        Instant before = Instant.now();
        JsonNode rotated = org.owner().create("/orgs/" + org.id() + "/admin-keys/" + ops.path("id").asString()
                + "/rotate", Map.of("grace_seconds", LIFETIME.toSeconds()));
        Admin successor = as(rotated.path("plaintext_key").asString());
        old.get("/orgs/" + org.id()).expectStatus().isOk();
        successor.get("/orgs/" + org.id()).expectStatus().isOk();
        assertThat(rotated.path("id").asString()).isNotEqualTo(ops.path("id").asString());
        assertThat(rotated.path("name").asString()).isEqualTo("ops");
        assertThat(rotated.path("role").asString()).isEqualTo("ORG_ADMIN");
        Instant deadline = Instant.parse(rotated.path("previous_key").path("expires_at").asString());
        assertThat(deadline).isBetween(before.plus(LIFETIME), Instant.now().plus(LIFETIME));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get(oldState, AdminKeyState.class)).get()
                        .extracting(AdminKeyState::expiresAt).isEqualTo(deadline));

        await().atMost(LIFETIME.plusSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                old.get("/orgs/" + org.id()).expectStatus().isUnauthorized());
        successor.get("/orgs/" + org.id()).expectStatus().isOk();
        org.owner().post("/orgs/" + org.id() + "/admin-keys/" + ops.path("id").asString() + "/rotate", null)
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("key_inactive");
    }

    @Test
    void a_rotated_gateway_key_is_published_with_its_grace_deadline_next_to_its_successor() {
        TestOrg org = newOrg("Gateway rotation", 0);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "g@g.example"));
        String userId = user.path("id").asString();
        String oldKey = user.path("api_key").path("plaintext_key").asString();

        JsonNode rotated = org.owner().create("/users/" + userId + "/keys/" + user.path("api_key").path("id")
                .asString() + "/rotate", Map.of("grace_seconds", LIFETIME.toSeconds()));
        String newKey = rotated.path("plaintext_key").asString();
        as(oldKey).get("/users/me").expectStatus().isOk();
        as(newKey).get("/users/me").expectStatus().isOk();
        Instant deadline = Instant.parse(rotated.path("previous_key").path("expires_at").asString());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().get("api-key:" + ApiKeys.hash(oldKey), ApiKeyState.class)).get()
                    .satisfies(old -> {
                        assertThat(old.status()).isEqualTo(KeyStatus.ACTIVE);
                        assertThat(old.expiresAt()).isEqualTo(deadline);
                    });
            assertThat(stateTopic().get("api-key:" + ApiKeys.hash(newKey), ApiKeyState.class)).get()
                    .satisfies(successor -> {
                        assertThat(successor.memberId()).isEqualTo(userId);
                        assertThat(successor.status()).isEqualTo(KeyStatus.ACTIVE);
                        assertThat(successor.expiresAt()).isNull();
                    });
        });
        await().atMost(LIFETIME.plusSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(oldKey).get("/users/me").expectStatus().isUnauthorized());
        as(newKey).get("/users/me").expectStatus().isOk();

        org.owner().post("/users/" + userId + "/keys/" + rotated.path("id").asString() + "/rotate",
                        Map.of("grace_seconds", 604_801))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("grace_seconds");
    }

    @Test
    void an_admin_key_records_when_it_was_last_used() {
        TestOrg org = newOrg("Last used", 0);
        JsonNode ops = org.owner().create("/orgs/" + org.id() + "/admin-keys", Map.of("name", "ops"));
        String opsId = ops.path("id").asString();
        assertThat(adminKey(org, opsId).has("last_used_at")).isFalse();

        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        as(ops.path("plaintext_key").asString()).get("/orgs/" + org.id()).expectStatus().isOk();

        assertThat(Instant.parse(adminKey(org, opsId).path("last_used_at").asString()))
                .isBetween(before.minusSeconds(1), Instant.now());
    }

    @Test
    void a_gateway_key_learns_its_last_use_from_the_gateway_request_records_at_most_once_a_minute() {
        TestOrg org = newOrg("Gateway use", 0);
        JsonNode alice = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "a@u.example"));
        JsonNode bob = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "b@u.example"));
        String aliceKey = alice.path("api_key").path("id").asString();
        String bobKey = bob.path("api_key").path("id").asString();
        Instant first = Instant.parse("2026-11-23T10:00:00Z");

        used(org.id(), aliceKey, first);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(lastUsed(alice, aliceKey)).isEqualTo(first));

        used(org.id(), aliceKey, first.plus(2, ChronoUnit.MINUTES));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(lastUsed(alice, aliceKey)).isEqualTo(first.plus(2, ChronoUnit.MINUTES)));

        // Within a minute of the last write: not written. Bob's record follows it on the org's partition, so once
        // Bob's use shows, Alice's later one was processed too.
        used(org.id(), aliceKey, first.plus(2, ChronoUnit.MINUTES).plusSeconds(10));
        used(org.id(), bobKey, first);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(lastUsed(bob, bobKey)).isEqualTo(first));
        assertThat(lastUsed(alice, aliceKey)).isEqualTo(first.plus(2, ChronoUnit.MINUTES));
    }

    private void used(String orgId, String keyId, Instant at) {
        String requestId = UUID.randomUUID().toString();
        GatewayRequestRecord record = new GatewayRequestRecord(requestId, orgId, "member", MemberKind.USER, keyId,
                null, "gpt-4o-mini", "gpt-4o-mini", "openai", false, false, "NORMAL", RequestOutcome.SUCCESS, 200,
                null, null, 10, 5, 1, 1, 20, 15, at);
        ProducerRecord<String, byte[]> message = new ProducerRecord<>(Topics.GATEWAY_REQUESTS.name(), orgId,
                TallyJson.write(record));
        new Envelope(requestId, GatewayMessageTypes.REQUEST.ceType(), "tally/gateway", at, orgId).toHeaders()
                .forEach(message.headers()::add);
        kafka.send(message).join();
    }

    private Instant lastUsed(JsonNode user, String keyId) {
        JsonNode keys = platform().read("/users/" + user.path("id").asString() + "/keys");
        JsonNode key = StreamSupport.stream(keys.spliterator(), false)
                .filter(k -> k.path("id").asString().equals(keyId)).findFirst().orElseThrow();
        return key.has("last_used_at") ? Instant.parse(key.path("last_used_at").asString()) : null;
    }

    private static JsonNode adminKey(TestOrg org, String keyId) {
        JsonNode keys = org.owner().read("/orgs/" + org.id() + "/admin-keys");
        return StreamSupport.stream(keys.spliterator(), false)
                .filter(k -> k.path("id").asString().equals(keyId)).findFirst().orElseThrow();
    }
}

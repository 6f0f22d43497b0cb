package dev.tally.notification;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import dev.tally.servicekit.auth.KeyHash;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiAndAlertSourcesIT extends NotificationTestBase {

    @Test
    void requests_without_a_known_active_admin_key_are_refused() {
        assertThat(as(null).status("GET", "/channels", null)).isEqualTo(401);
        assertThat(as("tadm_" + UUID.randomUUID()).status("GET", "/channels", null)).isEqualTo(401);
        assertThat(as("cpk_" + UUID.randomUUID()).status("GET", "/channels", null)).isEqualTo(401);
        JsonNode error = as(null).json("GET", "/alerts", null, HttpStatus.UNAUTHORIZED);
        assertThat(error.path("error").path("code").asString()).isEqualTo("unauthenticated");

        String org = newOrgId();
        String key = "tadm_" + UUID.randomUUID().toString().replace("-", "");
        String hash = KeyHash.of(key);
        publishState(new AdminKeyState(hash, "adm-r", org, AdminRole.ORG_OWNER, KeyStatus.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> as(key).status("GET", "/channels", null) == 200);
        publishState(new AdminKeyState(hash, "adm-r", org, AdminRole.ORG_OWNER, KeyStatus.REVOKED, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> as(key).status("GET", "/channels", null) == 401);
    }

    @Test
    void actuator_health_is_open_and_its_other_endpoints_need_a_platform_admin_key() {
        Api orgAdmin = orgAdmin(newOrgId());
        Api platform = adminKey(null, AdminRole.PLATFORM_ADMIN);

        assertThat(as(null).status("GET", "/actuator/health", null)).isEqualTo(200);
        for (String endpoint : new String[] {"/actuator/metrics", "/actuator/info", "/actuator/prometheus"}) {
            assertThat(as(null).status("GET", endpoint, null)).as(endpoint).isEqualTo(401);
            assertThat(orgAdmin.status("GET", endpoint, null)).as(endpoint).isEqualTo(403);
            assertThat(platform.status("GET", endpoint, null)).as(endpoint).isEqualTo(200);
        }
        // Its consumers' lag is what an operator alerts on.
        assertThat(new String(platform.call("GET", "/actuator/prometheus", null).getResponseBody(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void an_org_admin_sees_only_their_organisation_and_foreign_ids_look_unknown() {
        String mine = newOrgId();
        String theirs = newOrgId();
        Api me = orgAdmin(mine);
        Api them = orgAdmin(theirs);
        DNS.point("hooks.slack.com", "203.0.113.10");
        JsonNode foreign = createChannel(them, Map.of("name", "theirs", "kind", "SLACK",
                "webhook_url", "https://hooks.slack.com/services/T0/B0/theirs"));
        String foreignId = foreign.path("id").asString();
        JsonNode own = createChannel(me, Map.of("name", "mine", "kind", "SLACK",
                "webhook_url", "https://hooks.slack.com/services/T0/B0/mine1234"));

        JsonNode notFound = me.json("GET", "/channels/" + foreignId, null, HttpStatus.NOT_FOUND);
        JsonNode unknown = me.json("GET", "/channels/chn-does-not-exist", null, HttpStatus.NOT_FOUND);
        assertThat(notFound.path("error").path("code").asString()).isEqualTo(unknown.path("error").path("code").asString())
                .isEqualTo("not_found");
        assertThat(me.status("POST", "/channels/" + foreignId + "/test", null)).isEqualTo(404);
        assertThat(me.status("DELETE", "/channels/" + foreignId, null)).isEqualTo(404);
        assertThat(me.status("POST", "/alerts/alr-x/acknowledge", null)).isEqualTo(404);
        assertThat(me.get("/channels")).extracting(c -> c.path("id").asString()).containsExactly(own.path("id").asString());
        JsonNode otherOrg = me.json("GET", "/deliveries?org_id=" + theirs, null, HttpStatus.BAD_REQUEST);
        assertThat(otherOrg.path("error").path("field").asString()).isEqualTo("org_id");

        // The secret never comes back: a hint of its last characters only.
        assertThat(own.path("secret_hint").asString()).isEqualTo("…1234");
        assertThat(own.toString()).doesNotContain("hooks.slack.com");
        assertThat(me.get("/channels/" + own.path("id").asString()).toString()).doesNotContain("hooks.slack.com");

        Api platform = adminKey(null, AdminRole.PLATFORM_ADMIN);
        assertThat(platform.get("/channels/" + foreignId).path("org_id").asString()).isEqualTo(theirs);
        JsonNode missingOrg = platform.json("GET", "/channels", null, HttpStatus.BAD_REQUEST);
        assertThat(missingOrg.path("error").path("field").asString()).isEqualTo("org_id");

        me.json("DELETE", "/channels/" + own.path("id").asString(), null, HttpStatus.NO_CONTENT);
        assertThat(me.get("/channels")).isEmpty();
    }

    @Test
    void invalid_requests_name_the_field_and_the_reason() {
        Api admin = orgAdmin(newOrgId());

        JsonNode missing = admin.json("POST", "/channels", Map.of("name", "x", "kind", "TELEGRAM",
                "bot_token", "123:abc"), HttpStatus.BAD_REQUEST);
        JsonNode wrongKind = admin.json("POST", "/channels", Map.of("name", "x", "kind", "PIGEON"),
                HttpStatus.BAD_REQUEST);
        JsonNode badLimit = admin.json("GET", "/deliveries?limit=0", null, HttpStatus.BAD_REQUEST);
        JsonNode badStatus = admin.json("GET", "/deliveries?status=LOST", null, HttpStatus.BAD_REQUEST);

        assertThat(missing.path("error").path("field").asString()).isEqualTo("chat_id");
        assertThat(missing.path("error").path("reason").asString()).isEqualTo("is required");
        assertThat(wrongKind.path("error").path("field").asString()).isEqualTo("kind");
        assertThat(badLimit.path("error").path("field").asString()).isEqualTo("limit");
        assertThat(badStatus.path("error").path("reason").asString()).contains("PENDING");
    }

    @Test
    void a_member_going_on_vacation_is_one_alert_and_refusals_above_the_rate_are_one_more() {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "team", "kind", "SLACK", "webhook_url", RECEIVER.url("/team/" + tag)));
        Instant since = Instant.now();
        MemberState active = new MemberState("mbr-" + tag, org, "ws-1", "grp-1", MemberKind.USER, "Jane Doe",
                "jane@acme.example", MemberStatus.ACTIVE, "acct-1", 1000, since.minusSeconds(60));
        MemberState away = new MemberState("mbr-" + tag, org, "ws-1", "grp-1", MemberKind.USER, "Jane Doe",
                "jane@acme.example", MemberStatus.ON_VACATION, "acct-1", 1000, since);
        MemberState renamed = new MemberState("mbr-" + tag, org, "ws-1", "grp-1", MemberKind.USER, "Jane D.",
                "jane@acme.example", MemberStatus.ON_VACATION, "acct-1", 1000, since.plusSeconds(5));

        publishState(active);
        publishState(away);
        publishState(renamed);
        for (int i = 0; i < 4; i++) {
            publishLedgerEvent(new CreditReservationRejectedEvent(org, "cmd-" + i, Instant.now(), "res-" + i, 500,
                    List.of(new Scope(ScopeLevel.ORG, org)), RejectionReason.INSUFFICIENT_CREDITS, null,
                    "account has 0 credits available"));
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/team/" + tag)).hasSize(2));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(RECEIVER.at("/team/" + tag)).hasSize(2));
        List<String> titles = RECEIVER.at("/team/" + tag).stream()
                .map(r -> TallyJson.mapper().readTree(r.body()).path("text").asString()).sorted().toList();
        assertThat(titles).containsExactly("INFO: Jane Doe is on vacation",
                "WARNING: Reservations refused for " + org);
        JsonNode vacation = admin.get("/alerts?kind=MEMBER_ON_VACATION");
        assertThat(vacation).hasSize(1);
        assertThat(vacation.get(0).path("alert").path("member_id").asString()).isEqualTo("mbr-" + tag);
        assertThat(vacation.get(0).path("source").asString()).isEqualTo("tally.governance.state");
    }
}

package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberKind;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Governance's admin keys, read from tally.governance.state, decide who sees which organisation. */
class TenantIsolationIT extends AnalyticsTestBase {

    private static final List<String> ROUTES = List.of("overview", "usage", "burn-rate", "top-spenders",
            "breakdown", "cost-trend", "efficiency", "forecast", "anomalies", "alerts", "transfers", "accounts",
            "exports/usage", "exports/cost-allocation");

    @Test
    void an_org_admin_sees_only_its_org_and_a_foreign_org_answers_like_an_unknown_one() {
        Fixtures a = new Fixtures("iso-a");
        Fixtures b = new Fixtures("iso-b");
        TestEvents events = events();
        events.state(a.orgState("Org A"));
        events.state(b.orgState("Org B"));
        String keyA = adminKey(a.org, AdminRole.ORG_ADMIN);
        String platform = adminKey(null, AdminRole.PLATFORM_ADMIN);
        events.request(a.request("a-bot", MemberKind.AGENT, null, "gpt-4o", "openai", 1, 1, 11, Instant.now()));
        events.request(b.request("b-bot", MemberKind.AGENT, null, "gpt-4o", "openai", 1, 1, 22, Instant.now()));
        Api adminA = as(keyA);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                adminA.json("/orgs/" + a.org + "/usage").path("total").asLong() == 1
                        && as(platform).json("/orgs/" + b.org + "/usage").path("total").asLong() == 1);

        assertThat(adminA.json("/orgs/" + a.org + "/usage").path("items").get(0).path("member_id").asString())
                .isEqualTo("a-bot");
        for (String route : ROUTES) {
            var foreign = adminA.get("/orgs/" + b.org + "/" + route);
            var unknown = adminA.get("/orgs/no-such-org/" + route);
            assertThat(foreign.status()).as(route).isEqualTo(404);
            assertThat(foreign.body().replace(b.org, "ID")).as(route).isEqualTo(unknown.body().replace("no-such-org", "ID"));
        }
        assertThat(as(platform).json("/orgs/" + b.org + "/burn-rate").path("credits_last_24h").asLong())
                .isEqualTo(22);

        assertThat(ids(adminA.json("/orgs").path("items"))).containsExactly(a.org);
        assertThat(ids(as(platform).json("/orgs").path("items"))).contains(a.org, b.org);
        JsonNode me = adminA.json("/me");
        assertThat(me.path("role").asString()).isEqualTo("ORG_ADMIN");
        assertThat(me.path("org_id").asString()).isEqualTo(a.org);
        assertThat(me.path("org_name").asString()).isEqualTo("Org A");
    }

    @Test
    void requests_without_a_valid_active_admin_key_are_unauthenticated() {
        Fixtures a = new Fixtures("iso-auth");
        TestEvents events = events();
        String key = adminKey(a.org, AdminRole.ORG_OWNER);
        await().atMost(Duration.ofSeconds(30)).until(() -> as(key).get("/me").status() == 200);

        assertThat(as(null).get("/orgs/" + a.org + "/overview").status()).isEqualTo(401);
        assertThat(as("tadm_unknown").get("/orgs/" + a.org + "/overview").status()).isEqualTo(401);
        var gatewayKey = as("cpk_some_gateway_key").get("/orgs/" + a.org + "/overview");
        assertThat(gatewayKey.status()).isEqualTo(401);
        assertThat(gatewayKey.json().path("error").path("code").asString()).isEqualTo("unauthenticated");

        events.state(TestEvents.adminKeyState(key, a.org, AdminRole.ORG_OWNER, KeyStatus.REVOKED));
        await().atMost(Duration.ofSeconds(30)).until(() -> as(key).get("/me").status() == 401);
    }

    @Test
    void bad_parameters_name_the_field() {
        Fixtures a = new Fixtures("iso-params");
        String key = adminKey(a.org, AdminRole.ORG_ADMIN);
        Api admin = as(key);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/me").status() == 200);
        assertField(admin.get("/orgs/" + a.org + "/usage?limit=abc"), "limit");
        assertField(admin.get("/orgs/" + a.org + "/usage?limit=100000"), "limit");
        assertField(admin.get("/orgs/" + a.org + "/usage?status=NOPE"), "status");
        assertField(admin.get("/orgs/" + a.org + "/breakdown?by=colour"), "by");
        assertField(admin.get("/orgs/" + a.org + "/cost-trend?from=yesterday"), "from");
        assertField(admin.get("/orgs/" + a.org + "/exports/usage?format=xlsx"), "format");
    }

    @Test
    void health_is_public_and_reports_the_lag_per_topic() {
        Api platform = as(adminKey(null, AdminRole.PLATFORM_ADMIN));
        JsonNode health = as(null).json("/health");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("lag").has("tally.ledger.events")).isTrue();
        assertThat(health.path("lag").has("tally.gateway.requests")).isTrue();
        // Measured on the projections' own consumer group: once they are idle, nothing is left to project.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(as(null).json("/health").path("lag").path("tally.ledger.events").asLong()).isZero();
            assertThat(platform.json("/actuator/metrics/tally.analytics.lag?tag=topic:tally.gateway.requests")
                    .path("measurements").get(0).path("value").asDouble()).isZero();
        });
    }

    @Test
    void actuator_health_is_open_and_its_other_endpoints_need_a_platform_admin_key() {
        Api orgAdmin = as(adminKey(new Fixtures("iso-actuator").org, AdminRole.ORG_ADMIN));
        Api platform = as(adminKey(null, AdminRole.PLATFORM_ADMIN));

        assertThat(as(null).get("/actuator/health").status()).isEqualTo(200);
        for (String endpoint : new String[] {"/actuator/metrics", "/actuator/info", "/actuator/prometheus"}) {
            assertThat(as(null).get(endpoint).status()).as(endpoint).isEqualTo(401);
            assertThat(orgAdmin.get(endpoint).status()).as(endpoint).isEqualTo(403);
            assertThat(platform.get(endpoint).status()).as(endpoint).isEqualTo(200);
        }
        // The projections' lag per topic is what an operator alerts on.
        assertThat(platform.get("/actuator/prometheus").body()).contains("tally_analytics_lag{");
    }

    private static void assertField(Api.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("error").path("field").asString()).isEqualTo(field);
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }
}

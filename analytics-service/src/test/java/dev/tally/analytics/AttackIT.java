package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.testsupport.attack.RouteAttack;
import dev.tally.testsupport.attack.RouteAttack.Access;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route analytics-service serves, from its handler mappings, attacked as docs/security.md says it must hold
 * (see {@link RouteAttack}). A route added to the code fails this test until it is classified below.
 */
class AttackIT extends AnalyticsTestBase {

    private static final Map<String, Access> ROUTES = Map.ofEntries(
            // Public: the dashboard's page and static files (its API calls carry the key), analytics' own health,
            // and the actuator's probes.
            entry("GET /", Access.PUBLIC),
            entry("GET /dashboard", Access.PUBLIC),
            entry("GET /dashboard/", Access.PUBLIC),
            entry("GET /health", Access.PUBLIC),
            entry("GET /actuator/health", Access.PUBLIC),
            entry("GET /actuator/health/{*path}", Access.PUBLIC),
            // The API reference and its UI (springdoc), open: docs/security.md says why.
            entry("GET /v3/api-docs", Access.PUBLIC),
            entry("GET /v3/api-docs.yaml", Access.PUBLIC),
            entry("GET /v3/api-docs/swagger-config", Access.PUBLIC),
            entry("GET /swagger-ui.html", Access.PUBLIC),
            entry("ANY /swagger-ui/**", Access.PUBLIC),
            entry("ANY /swagger-ui/*swagger-initializer.js", Access.PUBLIC),
            entry("ANY /webjars/*swagger-ui/**", Access.PUBLIC),
            entry("ANY /webjars/*swagger-ui/*swagger-initializer.js", Access.PUBLIC),
            entry("ANY /webjars/*swagger-ui/5.32.2/*swagger-initializer.js", Access.PUBLIC),
            entry("ANY /**", Access.PUBLIC),
            entry("ANY /webjars/**", Access.PUBLIC),
            // The actuator's other endpoints: platform admins only.
            entry("GET /actuator", Access.PLATFORM_ADMIN),
            entry("GET /actuator/info", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics/{requiredMetricName}", Access.PLATFORM_ADMIN),
            entry("GET /actuator/prometheus", Access.PLATFORM_ADMIN),
            entry("POST /admin/rebuild", Access.PLATFORM_ADMIN),
            // The caller's own organisation(s).
            entry("GET /me", Access.ORG_ADMIN),
            entry("GET /orgs", Access.ORG_ADMIN),
            // One organisation's projections, named in the path.
            entry("GET /orgs/{orgId}/overview", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/accounts", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/transfers", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/usage", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/burn-rate", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/cost-trend", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/breakdown", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/anomalies", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/budgets", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/forecast", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/alerts", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/top-spenders", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/efficiency", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/exports/usage", Access.ORG_ADMIN),
            entry("GET /orgs/{orgId}/exports/cost-allocation", Access.ORG_ADMIN));

    @Autowired
    ApplicationContext context;

    @Test
    void every_route_is_classified_and_refuses_what_docs_security_md_says_it_refuses() {
        Fixtures a = new Fixtures("attack-a");
        Fixtures b = new Fixtures("attack-b");
        TestEvents events = events();
        String keyOfA = adminKey(a.org, AdminRole.ORG_ADMIN);
        String keyOfB = adminKey(b.org, AdminRole.ORG_ADMIN);
        String platform = adminKey(null, AdminRole.PLATFORM_ADMIN);
        String memberOfA = "member-of-a-" + a.org;
        events.ledger(a.purchase(1_000, Instant.now().minusSeconds(600)));
        events.request(a.request(memberOfA, MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 7,
                Instant.now().minusSeconds(300)));
        Api admin = as(keyOfA);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.json("/orgs/" + a.org + "/usage").path("total").asLong()).isEqualTo(1));

        RouteAttack attack = new RouteAttack(baseUrl(), ROUTES,
                Map.of("orgId", a.org, "requiredMetricName", "jvm.memory.used", "path", "liveness"),
                Set.of(memberOfA), keyOfA, keyOfB, platform, "cpk_gateway-key-of-a");
        assertThat(attack.run(RouteInventory.of(context), RouteInventory.takingBody(context))).isEmpty();
    }
}

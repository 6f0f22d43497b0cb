package dev.tally.notification;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.governance.AdminRole;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import dev.tally.testsupport.attack.RouteAttack;
import dev.tally.testsupport.attack.RouteAttack.Access;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route notification-service serves, from its handler mappings, attacked as docs/security.md says it must hold
 * (see {@link RouteAttack}). A route added to the code fails this test until it is classified below.
 */
class AttackIT extends NotificationTestBase {

    private static final Map<String, Access> ROUTES = Map.ofEntries(
            // Public: the actuator's probes.
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
            // Spring Boot's static resource handlers: this service ships no static files, and its filter asks a key
            // of every path but the probes, so they are behind the admin door like the API.
            entry("ANY /**", Access.ORG_ADMIN),
            entry("ANY /webjars/**", Access.ORG_ADMIN),
            // The actuator's other endpoints and the re-encryption: platform admins only.
            entry("GET /actuator", Access.PLATFORM_ADMIN),
            entry("GET /actuator/info", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics/{requiredMetricName}", Access.PLATFORM_ADMIN),
            entry("GET /actuator/prometheus", Access.PLATFORM_ADMIN),
            entry("POST /admin/channels/re-encrypt", Access.PLATFORM_ADMIN),
            // The caller's organisation: lists are its own, an id of another organisation's thing is 404.
            entry("GET /alerts", Access.ORG_ADMIN),
            entry("GET /alerts/{id}", Access.ORG_ADMIN),
            entry("POST /alerts/{id}/acknowledge", Access.ORG_ADMIN),
            entry("GET /deliveries", Access.ORG_ADMIN),
            entry("POST /channels", Access.ORG_ADMIN),
            entry("GET /channels", Access.ORG_ADMIN),
            entry("GET /channels/{id}", Access.ORG_ADMIN),
            entry("DELETE /channels/{id}", Access.ORG_ADMIN),
            entry("POST /channels/{id}/test", Access.ORG_ADMIN));

    @Autowired
    ApplicationContext context;

    @Test
    void every_route_is_classified_and_refuses_what_docs_security_md_says_it_refuses() {
        String orgA = newOrgId();
        String keyOfA = publishedAdminKey(orgA, AdminRole.ORG_ADMIN);
        String keyOfB = publishedAdminKey(newOrgId(), AdminRole.ORG_ADMIN);
        String platform = publishedAdminKey(null, AdminRole.PLATFORM_ADMIN);
        Api admin = as(keyOfA);
        JsonNode channel = createChannel(admin, Map.of("name", "attack-" + orgA, "kind", "WEBHOOK",
                "url", RECEIVER.url("/attack/" + UUID.randomUUID()), "signing_secret", "whsec_attack-receiver"));
        String channelId = channel.path("id").asString();
        String alertId = "alr-attack-" + UUID.randomUUID();
        publishAlert(new Alert(alertId, orgA, AlertKind.TEST, AlertSeverity.INFO, "Attack " + orgA, "For the suite.",
                null, null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.status("GET", "/alerts/" + alertId, null) == 200);
        RouteAttack attack = new RouteAttack("http://localhost:" + port, ROUTES,
                Map.of("alerts.id", alertId, "channels.id", channelId, "requiredMetricName", "jvm.memory.used",
                        "path", "liveness"),
                Set.of(orgA, channelId, alertId), keyOfA, keyOfB, platform, "cpk_gateway-key-of-a");
        assertThat(attack.run(RouteInventory.of(context), RouteInventory.takingBody(context))).isEmpty();
        // The attacks changed nothing of A's.
        assertThat(admin.status("GET", "/channels/" + channelId, null)).isEqualTo(200);
        assertThat(admin.get("/alerts/" + alertId).path("acknowledged").asBoolean()).isFalse();
    }
}

package dev.tally.ledger.access;

import dev.tally.events.governance.AdminRole;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import dev.tally.testsupport.attack.RouteAttack;
import dev.tally.testsupport.attack.RouteAttack.Access;
import dev.tally.testsupport.attack.RouteInventory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route ledger-service serves, from its handler mappings, attacked as docs/security.md says it must hold (see
 * {@link RouteAttack}). A route added to the code fails this test until it is classified below.
 */
class AttackIT extends LedgerServiceTestBase {

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
            // Spring Boot's static resource handlers: this service ships no static files, and its filter guards
            // /ledgers and the actuator only, so any other path answers 404 to everyone.
            entry("ANY /**", Access.PUBLIC),
            entry("ANY /webjars/**", Access.PUBLIC),
            entry("GET /actuator", Access.PLATFORM_ADMIN),
            entry("GET /actuator/info", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics", Access.PLATFORM_ADMIN),
            entry("GET /actuator/metrics/{requiredMetricName}", Access.PLATFORM_ADMIN),
            entry("GET /actuator/prometheus", Access.PLATFORM_ADMIN),
            // A ledger is its organisation's: its owner and admins, and platform admins.
            entry("GET /ledgers/{ledgerId}", Access.ORG_ADMIN),
            entry("GET /ledgers/{ledgerId}/events", Access.ORG_ADMIN),
            entry("POST /ledgers/{ledgerId}/verify", Access.ORG_ADMIN),
            // The list of every ledger, for the audit sweep: platform admins only.
            entry("GET /ledgers", Access.PLATFORM_ADMIN));

    @Autowired
    ApplicationContext context;

    @Test
    void every_route_is_classified_and_refuses_what_docs_security_md_says_it_refuses() {
        String orgA = "org-" + id();
        assertThat(ledger.sendAndWait(openLedger(orgA))).isInstanceOf(CommandAcceptedReply.class);
        assertThat(ledger.sendAndWait(purchase(orgA, 100))).isInstanceOf(CommandAcceptedReply.class);
        // First until the service has read the admin keys (http() waits for that itself), then for the projection:
        // inside one await, both shared its 30 s and a slow key read timed the test out.
        WebTestClient platform = http();
        await().atMost(Duration.ofSeconds(30)).until(() -> platform.get().uri("/ledgers/{id}", orgA).exchange()
                .returnResult(String.class).getStatus().value() == 200);
        String keyOfA = GovernanceKeys.newKey(INFRA, orgA, AdminRole.ORG_ADMIN);
        http(keyOfA);
        String keyOfB = GovernanceKeys.newKey(INFRA, "org-" + id(), AdminRole.ORG_ADMIN);
        http(keyOfB);

        RouteAttack attack = new RouteAttack("http://localhost:" + port, ROUTES,
                Map.of("ledgerId", orgA, "requiredMetricName", "jvm.memory.used", "path", "liveness"), Set.of(orgA),
                keyOfA, keyOfB,
                GovernanceKeys.PLATFORM_KEY, "cpk_gateway-key-of-a");
        assertThat(attack.run(RouteInventory.of(context), RouteInventory.takingBody(context))).isEmpty();
    }
}

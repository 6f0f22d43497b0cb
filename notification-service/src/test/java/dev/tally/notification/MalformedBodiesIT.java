package dev.tally.notification;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.governance.AdminRole;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import dev.tally.testsupport.attack.BodyFuzz;
import dev.tally.testsupport.attack.MalformedBodies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notification-service's admin routes that take a body, sent jqwik-generated bodies they must refuse: each answer is
 * a 4xx naming the field, never a 5xx or a hang, and nothing changes.
 */
class MalformedBodiesIT extends NotificationTestBase {

    /** Bodies per route: drawn from five kinds of fault, this many meet each kind on every route in most runs, and
     * keep the suite within the CI's time; a fault the draw misses once is drawn in other runs. */
    private static final int TRIES = 15;

    @Test
    void channel_and_acknowledgement_bodies_that_are_malformed_are_refused_naming_the_field_and_change_nothing() {
        String org = newOrgId();
        String key = publishedAdminKey(org, AdminRole.ORG_ADMIN);
        Api admin = as(key);
        String alertId = "alr-fuzz-" + UUID.randomUUID();
        publishAlert(new Alert(alertId, org, AlertKind.TEST, AlertSeverity.INFO, "Fuzz", "For the suite.", null, null,
                null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.status("GET", "/alerts/" + alertId, null) == 200);
        BodyFuzz fuzz = new BodyFuzz("http://localhost:" + port, key);
        List<String> findings = new ArrayList<>();

        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("name", "fuzz hook");
        webhook.put("kind", "WEBHOOK");
        webhook.put("url", RECEIVER.url("/fuzz/" + UUID.randomUUID()));
        webhook.put("signing_secret", "whsec_fuzz-receiver-secret");
        webhook.put("min_severity", "WARNING");
        webhook.put("escalation_level", 1);
        findings.addAll(fuzz.run("POST", "/channels", MalformedBodies.of(webhook, Set.of("name", "kind", "url"),
                Set.of("escalation_level")), TRIES, () -> admin.get("/channels").toString()));
        findings.addAll(fuzz.run("POST", "/alerts/" + alertId + "/acknowledge",
                MalformedBodies.of(Map.of("note", "seen"), Set.of(), Set.of()), TRIES,
                () -> admin.get("/alerts/" + alertId).path("acknowledged").toString()));

        assertThat(findings).isEmpty();
    }
}

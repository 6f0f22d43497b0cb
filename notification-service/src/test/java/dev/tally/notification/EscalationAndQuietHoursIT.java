package dev.tally.notification;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Escalation delay 2 s in these tests. */
class EscalationAndQuietHoursIT extends NotificationTestBase {

    @Test
    void an_unacknowledged_critical_alert_goes_to_the_next_level_after_the_delay_and_no_further_once_acknowledged() {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "first line", "kind", "SLACK", "webhook_url", RECEIVER.url("/l0/" + tag)));
        createChannel(admin, Map.of("name", "on call", "kind", "SLACK", "webhook_url", RECEIVER.url("/l1/" + tag),
                "escalation_level", 1));
        createChannel(admin, Map.of("name", "head of ops", "kind", "SLACK", "webhook_url", RECEIVER.url("/l2/" + tag),
                "escalation_level", 2));
        Alert alert = alert(org, AlertSeverity.CRITICAL);
        Instant published = Instant.now();

        publishAlert(alert);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/l0/" + tag)).hasSize(1));
        assertThat(RECEIVER.at("/l1/" + tag)).isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/l1/" + tag)).hasSize(1));
        assertThat(Duration.between(published, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        JsonNode acknowledged = admin.json("POST", "/alerts/" + alert.alertId() + "/acknowledge",
                Map.of("note", "on it"), HttpStatus.OK);
        assertThat(acknowledged.path("acknowledged").asBoolean()).isTrue();
        assertThat(acknowledged.path("acknowledgement_note").asString()).isEqualTo("on it");
        assertThat(acknowledged.path("deliveries")).hasSize(2);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(RECEIVER.at("/l2/" + tag)).isEmpty());
        assertThat(RECEIVER.at("/l0/" + tag)).hasSize(1);
        assertThat(RECEIVER.at("/l1/" + tag)).hasSize(1);
    }

    @Test
    void an_acknowledged_critical_alert_and_a_warning_never_escalate() {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "first line", "kind", "SLACK", "webhook_url", RECEIVER.url("/a0/" + tag)));
        createChannel(admin, Map.of("name", "on call", "kind", "SLACK", "webhook_url", RECEIVER.url("/a1/" + tag),
                "escalation_level", 1));
        Alert critical = alert(org, AlertSeverity.CRITICAL);
        Alert warning = alert(org, AlertSeverity.WARNING);

        publishAlert(critical);
        publishAlert(warning);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/a0/" + tag)).hasSize(2));
        admin.json("POST", "/alerts/" + critical.alertId() + "/acknowledge", null, HttpStatus.OK);

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(RECEIVER.at("/a1/" + tag)).isEmpty());
    }

    @Test
    void quiet_hours_hold_a_warning_until_they_end_but_not_a_critical_alert() {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        // A window from an hour ago to 4 s from now (a test run across midnight UTC would see a window across it).
        createChannel(admin, Map.of("name", "quiet", "kind", "SLACK", "webhook_url", RECEIVER.url("/quiet/" + tag),
                "quiet_hours", Map.of("start", now.minusHours(1).toString(), "end", now.plusSeconds(4).toString(),
                        "zone", "UTC")));
        Alert warning = alert(org, AlertSeverity.WARNING);
        Alert critical = alert(org, AlertSeverity.CRITICAL);

        publishAlert(warning);
        publishAlert(critical);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/quiet/" + tag)).hasSize(1));
        JsonNode held = admin.get("/deliveries?alert_id=" + warning.alertId()).get(0);
        assertThat(held.path("status").asString()).isEqualTo("PENDING");
        assertThat(held.path("attempts").asInt()).isZero();
        assertThat(Instant.parse(held.path("deferred_until").asString()))
                .isEqualTo(java.time.LocalDate.now(ZoneOffset.UTC).atTime(now.plusSeconds(4)).toInstant(ZoneOffset.UTC));
        assertThat(admin.get("/deliveries?alert_id=" + critical.alertId()).get(0).path("status").asString())
                .isEqualTo("DELIVERED");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RECEIVER.at("/quiet/" + tag)).hasSize(2));
        JsonNode sent = admin.get("/deliveries?alert_id=" + warning.alertId()).get(0);
        assertThat(sent.path("status").asString()).isEqualTo("DELIVERED");
        assertThat(Instant.parse(sent.path("delivered_at").asString()))
                .isAfterOrEqualTo(Instant.parse(held.path("deferred_until").asString()));
    }

    private static Alert alert(String org, AlertSeverity severity) {
        return new Alert("alr-" + UUID.randomUUID(), org, AlertKind.ANOMALY, severity, severity + " anomaly",
                "Spend is 5x the usual rate.", null, null, null, null, Instant.now());
    }
}

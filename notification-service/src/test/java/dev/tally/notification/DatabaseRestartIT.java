package dev.tally.notification;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.topic.Topics;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import dev.tally.testsupport.TopicContents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts and ledger events that arrive while notification-service's database is down wait in Kafka, are retried with
 * back-off, and are each recorded and delivered once when it is back. Before, each was dead-lettered after three
 * tries within two seconds, and the alerts of the outage were never sent.
 */
class DatabaseRestartIT extends NotificationTestBase {

    /** Longer than the old handler's three tries (2 s) many times over; well inside the default five minutes. */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @Test
    void alerts_that_arrive_while_the_database_is_down_are_delivered_once_when_it_is_back_and_none_is_dead_lettered()
            throws InterruptedException {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        String path = "/restart/" + tag;
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "restart", "kind", "WEBHOOK", "url", RECEIVER.url(path),
                "signing_secret", "whsec_restart-receiver-secret"));
        LocalDate window = LocalDate.now().withDayOfMonth(1);
        Scope scope = new Scope(ScopeLevel.GROUP, "grp-" + tag);

        INFRA.stopPostgres();
        try {
            for (int percent : List.of(50, 75, 90)) {
                publishLedgerEvent(new BudgetThresholdCrossedEvent(org, "cmd-" + percent, Instant.now(),
                        "bgt-" + tag, scope, BudgetPeriod.MONTHLY, window, percent, percent * 100L, 10_000));
            }
            Alert alert = new Alert("alr-restart-" + tag, org, AlertKind.TEST, AlertSeverity.INFO, "During the outage",
                    "Sent while the database was down.", null, null, null, null,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            publishAlert(alert);
            publishAlert(alert);
            // The outage lasts OUTAGE: all along the consumers fail, and none of their records may be dead-lettered.
            await("the outage").during(OUTAGE).atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> nothingDeadLettered(org));
        } finally {
            INFRA.startPostgres();
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(4));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(4));
        List<String> titles = RECEIVER.at(path).stream()
                .map(r -> TallyJson.mapper().readTree(r.body()).path("alert").path("title").asString())
                .sorted().toList();
        assertThat(titles).containsExactly("Budget bgt-" + tag + " at 50 %", "Budget bgt-" + tag + " at 75 %",
                "Budget bgt-" + tag + " at 90 %", "During the outage");
        assertThat(admin.get("/alerts")).hasSize(4);
        assertThat(nothingDeadLettered(org)).isTrue();
    }

    private static boolean nothingDeadLettered(String org) {
        String kafka = INFRA.kafkaBootstrapServers();
        return TopicContents.withKey(kafka, Topics.LEDGER_EVENTS.deadLetterName(), org).isEmpty()
                && TopicContents.withKey(kafka, Topics.ALERTS.deadLetterName(), org).isEmpty();
    }
}

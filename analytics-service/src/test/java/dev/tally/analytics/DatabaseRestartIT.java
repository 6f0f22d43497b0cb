package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.topic.Topics;
import dev.tally.testsupport.TopicContents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projections ride out a restart of their database: what arrives while PostgreSQL is down waits in Kafka, is
 * retried with back-off, and is projected exactly once when the database is back. Before, a record was dead-lettered
 * after three tries within two seconds, and with it every record of the outage.
 */
class DatabaseRestartIT extends AnalyticsTestBase {

    /** Longer than the old handler's three tries (1.5 s) many times over; well inside the default five minutes. */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @Test
    void events_that_arrive_while_the_database_is_down_are_projected_once_when_it_is_back_and_none_is_dead_lettered()
            throws InterruptedException {
        Fixtures f = new Fixtures("pgrestart");
        TestEvents events = events();
        Api admin = as(adminKey(f.org, AdminRole.ORG_ADMIN));
        Instant now = Instant.now();
        events.ledger(f.purchase(1_000, now.minusSeconds(900)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.json("/orgs/" + f.org + "/overview").path("balance_credits").asLong())
                        .isEqualTo(1_000));

        INFRA.stopPostgres();
        try {
            long bought = 0;
            for (int i = 1; i <= 20; i++) {
                String id = events.ledger(f.purchase(i, now.minusSeconds(600 - i)));
                bought += i;
                if (i == 7) {
                    events.ledger(id, f.purchase(i, now.minusSeconds(600 - i)));
                }
            }
            assertThat(bought).isEqualTo(210);
            for (int i = 0; i < 5; i++) {
                events.request(f.request("bot", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 3,
                        now.minusSeconds(300 - i)));
            }
            // The outage lasts OUTAGE: all along the consumers fail, and none of their records may be dead-lettered.
            await("the outage").during(OUTAGE).atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> nothingDeadLettered(f.org));
        } finally {
            INFRA.startPostgres();
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(admin.json("/orgs/" + f.org + "/overview").path("balance_credits").asLong())
                    .isEqualTo(1_000 + 210);
            assertThat(admin.json("/orgs/" + f.org + "/usage").path("total").asLong()).isEqualTo(5);
        });
        assertThat(nothingDeadLettered(f.org)).isTrue();
    }

    private static boolean nothingDeadLettered(String org) {
        String kafka = INFRA.kafkaBootstrapServers();
        return TopicContents.withKey(kafka, Topics.LEDGER_EVENTS.deadLetterName(), org).isEmpty()
                && TopicContents.withKey(kafka, Topics.GATEWAY_REQUESTS.deadLetterName(), org).isEmpty();
    }
}

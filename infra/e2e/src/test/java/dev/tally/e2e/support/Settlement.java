package dev.tally.e2e.support;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What must hold for an organisation once the dust settles, whatever failed on the way. */
public final class Settlement {

    private Settlement() {
    }

    /**
     * No credit lost or made up: every reservation ended (charged, released or expired), every 200 was charged in the
     * ledger exactly its {@code x_platform.credits_charged} and nothing else was charged, the ledger's accounts hold
     * the purchase minus those charges, and replaying the ledger's events agrees with its projection.
     */
    public static void assertNoCreditLost(String orgId, long purchased, List<Gateway.Answer> answers,
            Duration reservationsEndWithin) {
        Ledger ledger = E2EStack.ledger();
        await("every reservation ended").atMost(reservationsEndWithin).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(ledger.openReservations(orgId)).as("open reservations").isEmpty());

        Map<String, Long> paid = new HashMap<>();
        for (Gateway.Answer answer : answers) {
            if (answer.status() == 200) {
                assertThat(answer.requestId()).as("x_platform.request_id of %s", answer.body()).isNotBlank();
                paid.put(answer.requestId(), answer.charged());
            }
        }
        long charged = paid.values().stream().mapToLong(Long::longValue).sum();
        await("the projection caught up").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(ledger.charges(orgId)).as("charges in the ledger = the 200s' x_platform.credits_charged")
                    .isEqualTo(paid);
            JsonNode view = ledger.view(orgId);
            long balance = 0;
            for (JsonNode account : view.path("accounts")) {
                balance += account.path("balance").asLong();
                assertThat(account.path("reserved").asLong()).as("reserved on %s", account).isZero();
            }
            assertThat(balance).as("purchase minus the charges").isEqualTo(purchased - charged);
            JsonNode verify = ledger.verify(orgId);
            assertThat(verify.path("projection_events_applied").asLong()).as("projection up to date")
                    .isEqualTo(verify.path("events_replayed").asLong());
            assertThat(verify.path("consistent").asBoolean()).as("verify: %s", verify).isTrue();
            assertThat(verify.path("differences")).isEmpty();
        });
    }
}

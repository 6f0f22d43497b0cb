package dev.tally.e2e.support;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        assertNoCreditLost(orgId, purchased, answers, 0, 0, reservationsEndWithin);
    }

    /**
     * The same for a run in which {@code cut} requests got no answer because the gateway serving them died: besides
     * the 200s, the ledger may hold a charge of at most {@code heldEach} credits for each of those (a charge is
     * written before the answer's last byte leaves, so a kill between the two leaves a request charged whose client
     * saw nothing, under a request id the test never learnt), and nothing more. Returns how many such charges it
     * found.
     */
    public static int assertNoCreditLost(String orgId, long purchased, List<Gateway.Answer> answers, int cut,
            long heldEach, Duration reservationsEndWithin) {
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
        Map<String, Long> unanswered = new HashMap<>();
        await("the projection caught up").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Map<String, Long> charges = ledger.charges(orgId);
            // Only the 200s the ledger gets wrong, not every 200: a lost charge should read as one id, not thousands.
            Map<String, String> wrong = new TreeMap<>();
            paid.forEach((id, credits) -> {
                if (!credits.equals(charges.get(id))) {
                    wrong.put(id, "credits_charged " + credits + ", ledger " + charges.get(id));
                }
            });
            assertThat(wrong).as("200s of %d not charged in the ledger exactly their x_platform.credits_charged",
                    paid.size()).isEmpty();
            Map<String, Long> others = new HashMap<>(charges);
            others.keySet().removeAll(paid.keySet());
            assertThat(others).as("charges of no 200: only requests cut by the kill (%d), each at most its hold",
                            cut).hasSizeLessThanOrEqualTo(cut)
                    .allSatisfy((id, credits) -> assertThat(credits).isBetween(0L, heldEach));
            long charged = charges.values().stream().mapToLong(Long::longValue).sum();
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
            unanswered.clear();
            unanswered.putAll(others);
        });
        return unanswered.size();
    }
}

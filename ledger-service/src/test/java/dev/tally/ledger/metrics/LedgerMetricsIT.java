package dev.tally.ledger.metrics;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.reserve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator scrapes from the ledger: commands by type, result and refusal reason, their latency, how far the
 * event processors are behind the store, and the command consumer's lag; behind a platform admin key.
 */
class LedgerMetricsIT extends LedgerServiceTestBase {

    @Test
    void commands_refusals_latency_and_processor_lag_are_in_the_prometheus_metrics() {
        String orgId = "org-" + id();
        assertThat(ledger.sendAndWait(openLedger(orgId))).isInstanceOf(CommandAcceptedReply.class);
        assertThat(ledger.sendAndWait(purchase(orgId, 100))).isInstanceOf(CommandAcceptedReply.class);
        assertThat(ledger.sendAndWait(reserve(orgId, "r-" + id(), 1_000, 60))).isInstanceOf(CommandRejectedReply.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).containsPattern("tally_ledger_commands_total\\{command=\"PurchaseCreditsCommand\","
                    + "reason=\"none\",result=\"accepted\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_ledger_commands_total\\{command=\"ReserveCreditCommand\","
                    + "reason=\"INSUFFICIENT_CREDITS\",result=\"rejected\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_ledger_command_latency_seconds_count\\{command="
                    + "\"ReserveCreditCommand\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("tally_ledger_processor_lag\\{processor=\"ledger-event-publisher\""
                    + "[^}]*} ");
            assertThat(metrics).containsPattern("tally_ledger_processor_lag\\{processor=\"ledger-balances\"[^}]*} ");
            assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag_max");
        });
    }

    @Test
    void the_prometheus_endpoint_needs_a_platform_admin_key() {
        anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
    }
}

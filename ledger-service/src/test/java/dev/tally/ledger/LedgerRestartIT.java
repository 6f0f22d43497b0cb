package dev.tally.ledger;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerKafkaClient;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.reserve;
import static dev.tally.ledger.support.Commands.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stops ledger-service and starts it again on the same database and broker. */
class LedgerRestartIT {

    private static final TallyInfrastructure INFRA = TallyInfrastructure.shared();

    @Test
    void balances_reservations_and_remembered_outcomes_survive_a_restart() throws Exception {
        GovernanceKeys.prepare(INFRA);
        Map<String, Object> properties = new HashMap<>(INFRA.springProperties(INFRA.newDatabase("restart")));
        properties.put("server.port", "0");
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("logging.level.org.axonframework", "WARN");
        properties.put("tally.ledger.projection-checkpoint-every", "1000");
        // A snapshot after the first few events: the restarted ledger loads from it and the events after it.
        properties.put("tally.ledger.snapshot-every", "3");
        String ledgerId = "org-" + id();
        PurchaseCreditsCommand topUp = purchase(ledgerId, 500);
        LedgerReply firstReply;

        try (ConfigurableApplicationContext service = start(properties);
                LedgerKafkaClient ledger = new LedgerKafkaClient(INFRA.kafkaBootstrapServers())) {
            assertThat(ledger.sendAndWait(openLedger(ledgerId))).isInstanceOf(CommandAcceptedReply.class);
            firstReply = ledger.sendAndWait(topUp);
            assertThat(ledger.sendAndWait(reserve(ledgerId, "res-" + id(), 200, 600)))
                    .isInstanceOf(CommandAcceptedReply.class);
            // The projection writes its folded state only every so many events: once these three are in its rows,
            // the next event is in the rows but not in the stored state, and the restarted projection must fold it
            // from the event store.
            WebTestClient http = http(service);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/ledgers/{id}", ledgerId)
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.accounts[0].reserved").isEqualTo(200));
            assertThat(ledger.sendAndWait(purchase(ledgerId, 100))).isInstanceOf(CommandAcceptedReply.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/ledgers/{id}", ledgerId)
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.accounts[0].balance").isEqualTo(600));
            JdbcTemplate database = service.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.queryForObject(
                    "SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", Long.class, ledgerId))
                    .as("snapshots taken on their own thread").isPositive());
        }

        try (ConfigurableApplicationContext service = start(properties);
                LedgerKafkaClient ledger = new LedgerKafkaClient(INFRA.kafkaBootstrapServers())) {
            assertThat(ledger.sendAndWait(topUp)).isEqualTo(firstReply);
            String reservationId = "res-after-" + id();
            assertThat(ledger.sendAndWait(reserve(ledgerId, reservationId, 300, 600)))
                    .isEqualTo(new CommandAcceptedReply(reservationId, ledgerId, "CreditReserved", 300));
            // 600 purchased, 200 + 300 reserved: the ledger remembered the reservation made before the restart.
            assertThat(ledger.sendAndWait(reserve(ledgerId, "res-" + id(), 101, 600)))
                    .isNotInstanceOf(CommandAcceptedReply.class);
            assertThat(ledger.sendAndWait(usage(ledgerId, reservationId, 120)))
                    .isEqualTo(new CommandAcceptedReply("usage-" + reservationId, ledgerId, "UsageRecorded", 120));

            WebTestClient http = http(service);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/ledgers/{id}", ledgerId)
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.accounts[0].balance").isEqualTo(480)
                    .jsonPath("$.accounts[0].reserved").isEqualTo(200));
            http.post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.consistent").isEqualTo(true);
        }
    }

    private static WebTestClient http(ConfigurableApplicationContext service) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + service.getEnvironment().getProperty("local.server.port"))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + GovernanceKeys.PLATFORM_KEY)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        // As arguments: builder "properties" are defaults, which application.yml would override.
        String[] args = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(LedgerServiceApplication.class).run(args);
    }
}

package dev.tally.ledger;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.topic.Topics;
import dev.tally.ledger.support.LedgerServiceTestBase;
import dev.tally.ledger.support.TopicReader;
import org.junit.jupiter.api.Test;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.eventsourcing.AbstractSnapshotter;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.tally.ledger.support.Commands.chargeLease;
import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openAccount;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.release;
import static dev.tally.ledger.support.Commands.reserve;
import static dev.tally.ledger.support.Commands.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LedgerServiceIT extends LedgerServiceTestBase {

    private JsonNode ledgerView(String ledgerId) {
        return http().get().uri("/ledgers/{id}", ledgerId).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long orgBalance(String ledgerId) {
        JsonNode view = ledgerView(ledgerId);
        for (JsonNode account : view.get("accounts")) {
            if (account.get("account_id").asString().equals("org-pool")) {
                return account.get("balance").asLong();
            }
        }
        throw new AssertionError("no org pool in " + view);
    }

    private static void accepted(LedgerReply reply) {
        assertThat(reply).isInstanceOf(CommandAcceptedReply.class);
    }

    @Test
    void commands_on_kafka_produce_replies_events_on_the_topic_and_an_updated_projection() {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        accepted(ledger.sendAndWait(purchase(ledgerId, 1_000)));
        LedgerReply reserved = ledger.sendAndWait(reserve(ledgerId, "res-1", 100, 60));
        assertThat(reserved).isEqualTo(new CommandAcceptedReply("res-1", ledgerId, "CreditReserved", 100));
        LedgerReply used = ledger.sendAndWait(usage(ledgerId, "res-1", 40));
        assertThat(used).isEqualTo(new CommandAcceptedReply("usage-res-1", ledgerId, "UsageRecorded", 40));

        try (TopicReader events = new TopicReader(INFRA.kafkaBootstrapServers(), Topics.LEDGER_EVENTS.name(),
                r -> ledgerId.equals(r.key()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events.poll().size() >= 4);
            var records = events.poll();
            assertThat(records).extracting(r -> TopicReader.header(r, CloudEventHeaders.TYPE)).containsExactly(
                    "tally.ledger.LedgerOpened.v1", "tally.ledger.CreditsPurchased.v1",
                    "tally.ledger.CreditReserved.v1", "tally.ledger.UsageRecorded.v1");
            assertThat(records).allSatisfy(r -> {
                assertThat(TopicReader.header(r, CloudEventHeaders.SUBJECT)).isEqualTo(ledgerId);
                assertThat(TopicReader.header(r, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
                assertThat(TopicReader.header(r, CloudEventHeaders.SOURCE)).isEqualTo("tally/ledger-service");
            });
            assertThat(new HashSet<>(records.stream().map(r -> TopicReader.header(r, CloudEventHeaders.ID)).toList()))
                    .hasSize(4);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(orgBalance(ledgerId)).isEqualTo(960));
        JsonNode view = ledgerView(ledgerId);
        assertThat(view.get("reservations")).isEmpty();
        assertThat(view.get("accounts").get(0).get("available").asLong()).isEqualTo(960);
    }

    @Test
    void a_repeated_command_id_returns_the_first_outcome_and_changes_nothing() {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        PurchaseCreditsCommand topUp = purchase(ledgerId, 500);
        LedgerReply first = ledger.sendAndWait(topUp);
        LedgerReply second = ledger.sendAndWait(topUp);
        assertThat(second).isEqualTo(first);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(orgBalance(ledgerId)).isEqualTo(500));
        String export = http().get().uri("/ledgers/{id}/events", ledgerId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(export.lines()).hasSize(2);
        assertThat(export.lines().toList().get(1)).contains("\"type\":\"tally.ledger.CreditsPurchased.v1\"")
                .contains("\"credits\":500");
        String later = java.time.Instant.now().plusSeconds(3600).toString();
        String none = http().get().uri("/ledgers/{id}/events?from={from}", ledgerId, later).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(none).isNullOrEmpty();
        String all = http().get().uri("/ledgers/{id}/events?from={from}&to={to}", ledgerId,
                        "2020-01-01T00:00:00Z", later).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(all.lines()).hasSize(2);
    }

    @Test
    void a_thousand_one_credit_reservations_from_eight_threads_reserve_exactly_what_the_ledger_holds()
            throws Exception {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        accepted(ledger.sendAndWait(purchase(ledgerId, 300)));

        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<LedgerReply>> replies = new ArrayList<>();
        try {
            List<CompletableFuture<CompletableFuture<LedgerReply>>> sends = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String reservationId = "res-" + i;
                sends.add(CompletableFuture.supplyAsync(
                        () -> ledger.send(reserve(ledgerId, reservationId, 1, 600)), threads));
            }
            for (var send : sends) {
                replies.add(send.get());
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
        }
        long accepted = replies.stream().map(CompletableFuture::join).filter(CommandAcceptedReply.class::isInstance)
                .count();
        List<RejectionReason> reasons = replies.stream().map(CompletableFuture::join)
                .filter(CommandRejectedReply.class::isInstance).map(r -> ((CommandRejectedReply) r).reason())
                .distinct().toList();
        assertThat(accepted).isEqualTo(300);
        assertThat(reasons).containsExactly(RejectionReason.INSUFFICIENT_CREDITS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode account = ledgerView(ledgerId).get("accounts").get(0);
            assertThat(account.get("reserved").asLong()).isEqualTo(300);
            assertThat(account.get("available").asLong()).isZero();
        });
    }

    @Test
    void zero_amounts_and_unknown_accounts_are_refused_with_a_reason() {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        LedgerReply zero = ledger.sendAndWait(purchase(ledgerId, 0));
        assertThat(zero).isInstanceOfSatisfying(CommandRejectedReply.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_AMOUNT);
            assertThat(r.detail()).contains("credits must be positive");
        });
        LedgerReply unknown = ledger.sendAndWait(new TransferCreditsCommand(id(), ledgerId, "org-pool", "nobody", 5,
                "admin", "test"));
        assertThat(unknown).isInstanceOfSatisfying(CommandRejectedReply.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.UNKNOWN_ACCOUNT));
        LedgerReply noLedger = ledger.sendAndWait(purchase("org-missing-" + id(), 10));
        assertThat(noLedger).isInstanceOfSatisfying(CommandRejectedReply.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.UNKNOWN_LEDGER));
    }

    @Test
    void malformed_and_unknown_records_go_to_the_dead_letter_topic_and_the_consumer_carries_on() {
        String ledgerId = "org-" + id();
        Map<String, byte[]> unknownType = new dev.tally.events.envelope.Envelope(id(), "tally.ledger.Nonsense.v1",
                "tally/test", java.time.Instant.now(), ledgerId).toHeaders();
        ledger.sendRaw(ledgerId, "{}".getBytes(), unknownType);
        Map<String, byte[]> purchaseType = new dev.tally.events.envelope.Envelope(id(),
                "tally.ledger.PurchaseCredits.v1", "tally/test", java.time.Instant.now(), ledgerId).toHeaders();
        ledger.sendRaw(ledgerId, "{not json".getBytes(), purchaseType);

        try (TopicReader dlt = new TopicReader(INFRA.kafkaBootstrapServers(),
                Topics.LEDGER_COMMANDS.deadLetterName(), r -> ledgerId.equals(r.key()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> dlt.poll().size() >= 2);
            assertThat(dlt.poll()).extracting(r -> TopicReader.header(r, "kafka_dlt-exception-message"))
                    .anySatisfy(m -> assertThat(m).contains("unknown message type tally.ledger.Nonsense.v1"))
                    .anySatisfy(m -> assertThat(m).contains("cannot read PurchaseCreditsCommand"));
        }
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
    }

    @Test
    void a_reservation_past_its_time_to_live_is_expired_by_the_ledger_itself() {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        accepted(ledger.sendAndWait(purchase(ledgerId, 50)));
        accepted(ledger.sendAndWait(reserve(ledgerId, "res-short", 50, 1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = ledgerView(ledgerId);
            assertThat(view.get("reservations")).isEmpty();
            assertThat(view.get("accounts").get(0).get("available").asLong()).isEqualTo(50);
        });
        String export = http().get().uri("/ledgers/{id}/events", ledgerId).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(export).contains("tally.ledger.ReservationExpired.v1");
        assertThat(ledger.sendAndWait(usage(ledgerId, "res-short", 10))).isInstanceOfSatisfying(
                CommandRejectedReply.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.UNKNOWN_RESERVATION));
    }

    @Test
    void verify_replays_the_ledger_and_finds_the_projection_consistent() {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        accepted(ledger.sendAndWait(openAccount(ledgerId, "team-a", AccountKind.GROUP)));
        accepted(ledger.sendAndWait(purchase(ledgerId, 1_000)));
        accepted(ledger.sendAndWait(new TransferCreditsCommand(id(), ledgerId, "org-pool", "team-a", 300, "admin",
                "allocation")));
        accepted(ledger.sendAndWait(reserve(ledgerId, "res-v", 200, 600)));
        accepted(ledger.sendAndWait(usage(ledgerId, "res-v", 150)));
        accepted(ledger.sendAndWait(reserve(ledgerId, "res-open", 100, 600)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                http().post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.consistent").isEqualTo(true)
                        .jsonPath("$.events_replayed").isEqualTo(7)
                        .jsonPath("$.projection_events_applied").isEqualTo(7)
                        .jsonPath("$.differences").isEmpty());
        http().post().uri("/ledgers/{id}/verify", "org-never-" + id()).exchange().expectStatus().isNotFound();
        http().get().uri("/ledgers/{id}/events?from=yesterday", ledgerId).exchange().expectStatus().isBadRequest();
    }

    @Test
    void a_lease_charged_twice_then_released_pays_its_charges_once_and_the_projection_agrees_throughout() {
        String ledgerId = "org-" + id();
        String lease = "lease-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        accepted(ledger.sendAndWait(purchase(ledgerId, 1_000)));
        accepted(ledger.sendAndWait(reserve(ledgerId, lease, 300, 600)));
        ChargeLeaseCommand first = chargeLease(ledgerId, lease, 1, 70, 30);
        assertThat(ledger.sendAndWait(first))
                .isEqualTo(new CommandAcceptedReply(first.commandId(), ledgerId, "LeaseCharged", 100));
        // A gateway retrying its batch sends the same command id: the ledger answers as before and charges nothing.
        assertThat(ledger.sendAndWait(first))
                .isEqualTo(new CommandAcceptedReply(first.commandId(), ledgerId, "LeaseCharged", 100));
        ChargeLeaseCommand second = chargeLease(ledgerId, lease, 3, 50);
        assertThat(ledger.sendAndWait(second))
                .isEqualTo(new CommandAcceptedReply(second.commandId(), ledgerId, "LeaseCharged", 50));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode view = ledgerView(ledgerId);
            JsonNode account = view.get("accounts").get(0);
            assertThat(account.get("balance").asLong()).isEqualTo(850);
            assertThat(account.get("reserved").asLong()).isEqualTo(150);
            assertThat(view.get("reservations")).hasSize(1);
            assertThat(view.get("reservations").get(0).get("credits").asLong()).isEqualTo(150);
        });
        http().post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events_replayed").isEqualTo(6)
                .jsonPath("$.consistent").isEqualTo(true)
                .jsonPath("$.differences").isEmpty();

        assertThat(ledger.sendAndWait(release(ledgerId, lease))).isInstanceOfSatisfying(CommandAcceptedReply.class,
                r -> assertThat(r.credits()).isEqualTo(150));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode view = ledgerView(ledgerId);
            JsonNode account = view.get("accounts").get(0);
            assertThat(account.get("balance").asLong()).isEqualTo(850);
            assertThat(account.get("reserved").asLong()).isZero();
            assertThat(view.get("reservations")).isEmpty();
        });
        http().post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events_replayed").isEqualTo(7)
                .jsonPath("$.consistent").isEqualTo(true);
        String export = http().get().uri("/ledgers/{id}/events", ledgerId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(export.lines().filter(line -> line.contains("\"type\":\"tally.ledger.LeaseCharged.v1\"")))
                .hasSize(3);
    }

    @Test
    void commands_sent_back_to_back_with_one_for_an_unknown_ledger_are_each_applied_exactly_once() throws Exception {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        // Sent back to back on one partition, so the listener takes them in one poll; the command for a ledger that
        // does not exist fails inside Axon and must not disturb the commands around it.
        List<CompletableFuture<LedgerReply>> replies = List.of(
                ledger.send(purchase(ledgerId, 100)),
                ledger.send(reserve(ledgerId, "res-batch-1", 30, 600)),
                ledger.send(purchase("org-missing-" + id(), 10), ledgerId),
                ledger.send(reserve(ledgerId, "res-batch-2", 20, 600)),
                ledger.send(purchase(ledgerId, 5)));
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(replies.stream().map(CompletableFuture::join).map(r -> r.getClass().getSimpleName()).toList())
                .containsExactly("CommandAcceptedReply", "CommandAcceptedReply", "CommandRejectedReply",
                        "CommandAcceptedReply", "CommandAcceptedReply");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode account = ledgerView(ledgerId).get("accounts").get(0);
            assertThat(account.get("balance").asLong()).isEqualTo(105);
            assertThat(account.get("reserved").asLong()).isEqualTo(50);
        });
        http().post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events_replayed").isEqualTo(5)
                .jsonPath("$.consistent").isEqualTo(true);
    }
    @Test
    void a_poll_holding_a_command_twice_and_one_seen_before_applies_each_once_with_its_first_reply() throws Exception {
        String ledgerId = "org-" + id();
        accepted(ledger.sendAndWait(openLedger(ledgerId)));
        PurchaseCreditsCommand earlier = purchase(ledgerId, 1_000);
        LedgerReply first = ledger.sendAndWait(earlier);
        PurchaseCreditsCommand twice = purchase(ledgerId, 100);
        // Back to back on one partition: one poll, one batch of this ledger's commands.
        List<CompletableFuture<LedgerReply>> replies = List.of(
                ledger.send(reserve(ledgerId, "res-poll-1", 30, 600)),
                ledger.send(twice),
                ledger.send(earlier),
                ledger.send(twice),
                ledger.send(reserve(ledgerId, "res-poll-1", 30, 600)),
                ledger.send(reserve(ledgerId, "res-poll-2", 1_071, 600)));
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);

        List<LedgerReply> answers = replies.stream().map(CompletableFuture::join).toList();
        assertThat(answers.get(0)).isEqualTo(new CommandAcceptedReply("res-poll-1", ledgerId, "CreditReserved", 30));
        assertThat(answers.get(1)).isEqualTo(new CommandAcceptedReply(twice.commandId(), ledgerId,
                "CreditsPurchased", 100));
        assertThat(answers.get(2)).isEqualTo(first);
        assertThat(answers.get(3)).isEqualTo(answers.get(1));
        assertThat(answers.get(4)).isEqualTo(answers.get(0));
        // 1,100 purchased (the repeated purchase once), 30 held: 1,071 does not fit.
        assertThat(answers.get(5)).isInstanceOfSatisfying(CommandRejectedReply.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDITS));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode account = ledgerView(ledgerId).get("accounts").get(0);
            assertThat(account.get("balance").asLong()).isEqualTo(1_100);
            assertThat(account.get("reserved").asLong()).isEqualTo(30);
        });
        http().post().uri("/ledgers/{id}/verify", ledgerId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events_replayed").isEqualTo(5)
                .jsonPath("$.consistent").isEqualTo(true);
    }

    @Test
    void messages_are_handled_without_axons_per_message_timeouts(@Autowired ApplicationContext context) {
        // Axon's handler timeouts walk the thread's stack and schedule two timer tasks for every event applied and
        // every event a processor handles: about 7 % of the ledger's CPU under load, for interrupts that cannot end a
        // stuck database call.
        assertThat(context.getBeansOfType(HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
    }

    @Test
    void jdbc_batches_go_to_postgresql_as_multi_row_statements(@Autowired DataSource dataSource) {
        // The projection upserts a row per account, reservation and budget a batch touched, and the event store
        // appends a row per event: one statement each was most of the ledger's statements under spread load.
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        assertThat(((HikariDataSource) dataSource).getDataSourceProperties())
                .containsEntry("reWriteBatchedInserts", "true");
    }

    @Test
    void snapshots_are_not_taken_on_the_commands_thread(@Autowired Snapshotter snapshotter) throws Exception {
        // Axon's default runs a snapshot where it is triggered: inside a command's transaction, re-reading thousands
        // of events and writing the whole ledger while the organisation's other commands wait.
        Field executor = AbstractSnapshotter.class.getDeclaredField("executor");
        executor.setAccessible(true);
        Thread[] ranOn = new Thread[1];
        ((Executor) executor.get(snapshotter)).execute(() -> ranOn[0] = Thread.currentThread());

        await().atMost(Duration.ofSeconds(5)).until(() -> ranOn[0] != null);
        assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());
        assertThat(ranOn[0].getName()).isEqualTo("ledger-snapshots");
    }
}

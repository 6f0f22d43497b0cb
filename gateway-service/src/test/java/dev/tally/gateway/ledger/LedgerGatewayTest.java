package dev.tally.gateway.ledger;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import dev.tally.ledger.client.LedgerTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Regressions found by the end-to-end KafkaRestartIT. While the broker is down, {@code KafkaProducer.send} blocks
 * (waiting for metadata), and the release after an unconfirmed reservation was sent inline: the 503 came after twice
 * the reservation timeout. And a charge whose send failed was dropped, so the ledger would expire the reservation:
 * a request served free.
 */
class LedgerGatewayTest {

    private static final GatewaySettings SETTINGS = new GatewaySettings(Duration.ofSeconds(2), Duration.ofSeconds(60),
            1024, 4_194_304, null, null, Map.of(), null, null);

    private final List<LedgerCommand> sent = new CopyOnWriteArrayList<>();
    private LedgerGateway gateway;

    @AfterEach
    void close() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void an_unconfirmed_reservation_fails_at_once_while_sending_its_release_blocks() {
        CountDownLatch metadataArrives = new CountDownLatch(1);
        gateway = new LedgerGateway(command -> {
            sent.add(command);
            if (command instanceof ReserveCreditCommand reserve) {
                return CompletableFuture.failedFuture(new LedgerTimeoutException("ReserveCredit", reserve.commandId(),
                        reserve.ledgerId(), Duration.ofSeconds(2)));
            }
            awaitQuietly(metadataArrives); // as KafkaProducer.send with no metadata for the topic
            return CompletableFuture.completedFuture(accepted(command));
        }, new GovernanceView(), SETTINGS);

        for (int i = 0; i < 2; i++) { // the first one also loads Reactor's and the breaker's classes
            long begin = System.nanoTime();
            assertThatThrownBy(() -> gateway.reserve("org", "r1", List.of(new Scope(ScopeLevel.ORG, "org")),
                    List.of("org"), 5, 0, Priority.NORMAL, false).block(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status().value()).isEqualTo(503));
            if (i == 1) {
                assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(1));
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sent)
                .hasAtLeastOneElementOfType(ReleaseReservationCommand.class));
        metadataArrives.countDown();
    }

    @Test
    void a_charge_returns_at_once_and_is_sent_again_with_the_same_command_id_until_the_ledger_confirms_it() {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch metadataTimesOut = new CountDownLatch(1);
        gateway = new LedgerGateway(command -> {
            sent.add(command);
            if (attempts.incrementAndGet() == 1) {
                awaitQuietly(metadataTimesOut); // blocked on metadata, then failed
                return CompletableFuture.failedFuture(
                        new org.apache.kafka.common.errors.TimeoutException("metadata not available"));
            }
            if (attempts.get() == 2) {
                throw new org.apache.kafka.common.errors.TimeoutException("metadata not available");
            }
            if (attempts.get() == 3) {
                return CompletableFuture.failedFuture(new LedgerTimeoutException("SettleLeases", command.commandId(),
                        command.ledgerId(), Duration.ofSeconds(2)));
            }
            return CompletableFuture.completedFuture(accepted(command));
        }, new GovernanceView(), SETTINGS);

        long begin = System.nanoTime();
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<Void> confirmed = gateway.settleLeases("org", List.of(new LeaseSettlement("lease-1",
                List.of(new LeaseCharge("r1", 5, 3, 10, 20, "mock-model", "mock")), false, null)), written);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        metadataTimesOut.countDown();

        assertThat(confirmed).isNotDone();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(attempts).hasValue(4));
        assertThat(confirmed).succeedsWithin(Duration.ofSeconds(5));
        assertThat(written).as("written by the second attempt, the first the transport took").isCompleted();
        assertThat(sent).hasSize(4).allSatisfy(command -> {
            assertThat(command).isInstanceOf(SettleLeasesCommand.class);
            assertThat(command.commandId()).isEqualTo(sent.get(0).commandId());
        });
        // Nothing more once confirmed: still four after two resend intervals.
        await().during(LedgerGateway.RESEND_CHARGE_AFTER.multipliedBy(2))
                .atMost(LedgerGateway.RESEND_CHARGE_AFTER.multipliedBy(4)).until(() -> sent.size() == 4);
    }

    @Test
    void a_charge_is_sent_again_past_the_leases_ttl_until_the_ledger_confirms_it() {
        // A Kafka outage longer than the leases' time to live: the ledger charges an expired lease's charges, so
        // giving up at the TTL would leave them in the journal until this replica restarts, if it ever does.
        GatewaySettings shortTtl = new GatewaySettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1024, 4_194_304,
                null, null, Map.of(), null, null);
        AtomicInteger attempts = new AtomicInteger();
        gateway = new LedgerGateway(command -> {
            sent.add(command);
            return attempts.incrementAndGet() <= 3
                    ? CompletableFuture.failedFuture(new IllegalStateException("the broker is away"))
                    : CompletableFuture.completedFuture(accepted(command));
        }, new GovernanceView(), shortTtl);

        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<Void> confirmed = gateway.settleLeases("org", List.of(new LeaseSettlement("lease-1",
                List.of(new LeaseCharge("r1", 5, 3, 10, 20, "mock-model", "mock")), false, null)), written);

        assertThat(confirmed).succeedsWithin(Duration.ofSeconds(15));
        assertThat(attempts).as("sent until confirmed, past the 1 s TTL").hasValue(4);
        assertThat(written).isCompleted();
        assertThat(sent).extracting(LedgerCommand::commandId).containsOnly(sent.get(0).commandId());
    }

    @Test
    void a_release_is_not_resent_the_ledger_expiry_covers_it() {
        Function<LedgerCommand, CompletableFuture<LedgerReply>> failing = command -> {
            sent.add(command);
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        };
        gateway = new LedgerGateway(failing, new GovernanceView(), SETTINGS);
        gateway.release("org", "r1", "provider failed");
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        await().during(LedgerGateway.RESEND_CHARGE_AFTER.multipliedBy(2))
                .atMost(LedgerGateway.RESEND_CHARGE_AFTER.multipliedBy(4)).until(() -> sent.size() == 1);
    }

    private static LedgerReply accepted(LedgerCommand command) {
        return new CommandAcceptedReply(command.commandId(), command.ledgerId(), "ok", 0);
    }

    /** A send that blocks until the test lets it go (at most 10 s, so a failing test cannot hang). */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.tally.ledger.client;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.topic.Topics;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against the real ledger-service, run from its executable jar as its own process, on the real broker
 * and PostgreSQL. The tests that stop the ledger run last (they are ordered); the others need it running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerClientIT {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Only a safety net so a broken client fails the test instead of hanging the build. */
    private static final long SAFETY_NET_SECONDS = 60;
    private static final String ORG_POOL = "org-pool";

    private static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    private static ServiceProcess ledgerService;
    private static LedgerClient client;

    @BeforeAll
    static void startLedgerServiceAndClient() {
        String jar = System.getProperty("tally.ledger.jar");
        assertThat(jar).as("system property tally.ledger.jar (set by failsafe)").isNotBlank();
        assertThat(Path.of(jar)).as("ledger-service's executable jar").exists();
        PostgresDatabase db = INFRA.newDatabase("ledger");
        // ledger-service reads its admin keys from the governance state topic and is not ready until it has; here no
        // governance runs, so the topic only has to exist (empty).
        INFRA.createTopics(4, Topics.GOVERNANCE_STATE.name());
        List<String> args = new ArrayList<>();
        INFRA.springProperties(db).forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--logging.level.org.apache.kafka=WARN");
        args.add("--logging.level.org.axonframework=WARN");
        ledgerService = ServiceProcess.start("ledger-service", Path.of(jar), args,
                Map.of("AXONIQ_UPDATE_CHECKER_DISABLED", "true"), ServiceProcess.freePort());
        client = new LedgerClient(new LedgerClientSettings(INFRA.kafkaBootstrapServers(), "tally/ledger-client-it",
                REPLY_TIMEOUT));
    }

    @AfterAll
    static void stopAll() {
        if (client != null) {
            client.close();
        }
        if (ledgerService != null) {
            ledgerService.close();
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static LedgerReply await(CompletableFuture<LedgerReply> reply) throws Exception {
        return reply.get(SAFETY_NET_SECONDS, TimeUnit.SECONDS);
    }

    private static LedgerReply sendAndWait(LedgerCommand command) throws Exception {
        return await(client.send(command));
    }

    private static String openLedgerWith(long credits) throws Exception {
        String ledgerId = "org-" + id();
        assertThat(sendAndWait(new OpenLedgerCommand(id(), ledgerId, ORG_POOL, 0, "it")))
                .isInstanceOf(CommandAcceptedReply.class);
        assertThat(sendAndWait(new PurchaseCreditsCommand(id(), ledgerId, ORG_POOL, credits, "it", "topup")))
                .isInstanceOf(CommandAcceptedReply.class);
        return ledgerId;
    }

    @Test
    @Order(1)
    void the_ledger_service_jar_runs_as_its_own_process() {
        assertThat(ledgerService.isAlive()).isTrue();
        assertThat(ledgerService.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(ledgerService.baseUrl()).isEqualTo("http://localhost:" + ledgerService.port());
    }

    @Test
    @Order(2)
    void open_and_purchase_are_accepted_with_their_outcome_and_credits() throws Exception {
        String ledgerId = "org-" + id();
        OpenLedgerCommand open = new OpenLedgerCommand(id(), ledgerId, ORG_POOL, 0, "it");
        assertThat(sendAndWait(open)).isEqualTo(new CommandAcceptedReply(open.commandId(), ledgerId, "LedgerOpened", 0));

        PurchaseCreditsCommand purchase = new PurchaseCreditsCommand(id(), ledgerId, ORG_POOL, 1_000, "it", "topup-1");
        assertThat(sendAndWait(purchase))
                .isEqualTo(new CommandAcceptedReply(purchase.commandId(), ledgerId, "CreditsPurchased", 1_000));

        // A resend with the same command id (a retry after a timeout) gets the first reply and changes nothing.
        assertThat(sendAndWait(purchase))
                .isEqualTo(new CommandAcceptedReply(purchase.commandId(), ledgerId, "CreditsPurchased", 1_000));
    }

    @Test
    @Order(3)
    void a_refused_transfer_is_a_rejected_reply_with_its_reason() throws Exception {
        String ledgerId = openLedgerWith(100);
        TransferCreditsCommand tooMuch = new TransferCreditsCommand(id(), ledgerId, ORG_POOL, "nobody-yet", 500,
                "admin", "allocation");
        assertThat(sendAndWait(tooMuch)).isInstanceOfSatisfying(CommandRejectedReply.class, r -> {
            assertThat(r.commandId()).isEqualTo(tooMuch.commandId());
            assertThat(r.ledgerId()).isEqualTo(ledgerId);
            assertThat(r.reason()).isEqualTo(RejectionReason.UNKNOWN_ACCOUNT);
        });

        assertThat(sendAndWait(new OpenAccountCommand(id(), ledgerId, "team-a",
                AccountKind.GROUP, "admin"))).isInstanceOf(CommandAcceptedReply.class);
        TransferCreditsCommand refused = new TransferCreditsCommand(id(), ledgerId, ORG_POOL, "team-a", 500, "admin",
                "allocation");
        assertThat(sendAndWait(refused)).isInstanceOfSatisfying(CommandRejectedReply.class, r -> {
            assertThat(r.commandId()).isEqualTo(refused.commandId());
            assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDITS);
            assertThat(r.detail()).isNotBlank();
        });
    }

    @Test
    @Order(4)
    void two_hundred_concurrent_sends_all_complete_with_their_own_reply() throws Exception {
        List<String> ledgers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ledgers.add(openLedgerWith(1_000_000));
        }
        List<ReserveCreditCommand> commands = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String ledgerId = ledgers.get(i % ledgers.size());
            String reservationId = "res-" + id();
            commands.add(new ReserveCreditCommand(reservationId, ledgerId, reservationId,
                    List.of(new Scope(ScopeLevel.ORG, ledgerId)), List.of(ORG_POOL), 1 + i, Priority.NORMAL, 600));
        }
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<CompletableFuture<LedgerReply>>> sent = new ArrayList<>();
            for (ReserveCreditCommand command : commands) {
                sent.add(senders.submit(() -> client.send(command)));
            }
            for (int i = 0; i < commands.size(); i++) {
                ReserveCreditCommand command = commands.get(i);
                assertThat(await(sent.get(i).get(SAFETY_NET_SECONDS, TimeUnit.SECONDS))).isEqualTo(
                        new CommandAcceptedReply(command.commandId(), command.ledgerId(), "CreditReserved",
                                command.credits()));
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    @Order(10)
    void without_a_running_ledger_a_send_times_out() throws Exception {
        ledgerService.close();
        assertThat(ledgerService.isAlive()).isFalse();
        Duration timeout = Duration.ofSeconds(2);
        try (LedgerClient impatient = new LedgerClient(new LedgerClientSettings(INFRA.kafkaBootstrapServers(),
                "tally/ledger-client-it", timeout))) {
            PurchaseCreditsCommand purchase = new PurchaseCreditsCommand(id(), "org-" + id(), ORG_POOL, 5, "it", "t");
            CompletableFuture<LedgerReply> reply = impatient.send(purchase);

            assertThatThrownBy(() -> reply.get(timeout.toSeconds() + SAFETY_NET_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(LedgerTimeoutException.class,
                            e -> assertThat(e.commandId()).isEqualTo(purchase.commandId()));
            assertThat(impatient.pendingCount()).isZero();
        }
    }

    @Test
    @Order(11)
    void close_fails_the_futures_still_waiting() {
        ledgerService.close();
        LedgerClient closing = new LedgerClient(new LedgerClientSettings(INFRA.kafkaBootstrapServers(),
                "tally/ledger-client-it", Duration.ofMinutes(5)));
        List<CompletableFuture<LedgerReply>> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(closing.send(new PurchaseCreditsCommand(id(), "org-" + id(), ORG_POOL, 5, "it", "t")));
        }

        closing.close();

        for (CompletableFuture<LedgerReply> reply : replies) {
            assertThat(reply).isCompletedExceptionally();
            assertThatThrownBy(reply::join).cause().isInstanceOf(IllegalStateException.class);
        }
        assertThat(closing.send(new PurchaseCreditsCommand(id(), "org-x", ORG_POOL, 5, "it", "t")))
                .isCompletedExceptionally();
    }
}

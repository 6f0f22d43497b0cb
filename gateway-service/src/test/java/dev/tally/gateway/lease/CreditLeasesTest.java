package dev.tally.gateway.lease;

import dev.tally.events.governance.BudgetState;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.ledger.LedgerGateway;
import dev.tally.gateway.ledger.LedgerTransport;
import dev.tally.gateway.state.GovernanceView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CreditLeasesTest {

    private static final GatewaySettings GATEWAY = new GatewaySettings(Duration.ofSeconds(2), Duration.ofSeconds(60),
            1024, 4_194_304, null, null, Map.of(), null, null);
    private static final LeaseSettings LEASES = new LeaseSettings(Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofSeconds(1), 256, 10, Duration.ofMillis(20), Duration.ofSeconds(2),
            Duration.ofSeconds(5));
    private static final Scope ORG = new Scope(ScopeLevel.ORG, "org");
    private static final Scope AGENT = new Scope(ScopeLevel.MEMBER, "agent-1");

    private final List<CreditLeases> replicas = new ArrayList<>();
    private final List<LedgerGateway> gateways = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (CreditLeases leases : replicas) {
            leases.close();
        }
        for (LedgerGateway gateway : gateways) {
            gateway.close();
        }
    }

    @Test
    void one_reservation_serves_several_requests_and_its_rest_is_released_after_their_charges() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());

        for (int i = 0; i < 20; i++) {
            LeaseHold hold = hold(leases, "r" + i, 5).block(Duration.ofSeconds(5));
            assertThat(hold.charge(3, 10, 20, "m", "mock").credits()).isEqualTo(3);
        }

        assertThat(ledger.sent(ReserveCreditCommand.class)).hasSizeLessThanOrEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(60);
        assertThat(ledger.reserved()).isZero();
        assertThat(ledger.chargedByRequest()).hasSize(20).allSatisfy((request, credits) ->
                assertThat(credits).isEqualTo(3));
        releasesFollowEveryChargeOfTheirLease(ledger);
    }

    /**
     * A bill beyond the hold is charged whole (the ledger takes the excess from the member's account as an
     * overdraft), while the lease pays only what was carved for the request: the rest of the lease stays for others.
     */
    @Test
    void a_bill_beyond_its_hold_is_charged_whole_and_the_lease_pays_only_the_hold() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());

        LeaseHold hold = hold(leases, "r1", 5).block(Duration.ofSeconds(5));
        assertThat(hold.charge(9, 10, 20, "m", "mock").credits()).isEqualTo(9);

        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.chargedByRequest()).as("what the lease paid").containsEntry("r1", 5L);
        assertThat(ledger.sent(SettleLeasesCommand.class).get(0).leases().get(0).charges().get(0).actualCredits())
                .isEqualTo(9);
    }

    @Test
    void credits_given_back_are_carved_again_without_another_reservation() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());

        hold(leases, "r1", 5).block(Duration.ofSeconds(5)).giveBack();
        hold(leases, "r2", 5).block(Duration.ofSeconds(5)).charge(5, 1, 1, "m", "mock");

        assertThat(ledger.sent(ReserveCreditCommand.class)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.chargedByRequest()).containsOnlyKeys("r2");
    }

    @Test
    void a_lease_never_holds_more_than_its_share_of_the_smallest_budget_on_the_chain() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        GovernanceView view = new GovernanceView();
        view.apply("budget:b1", new BudgetState("b1", "org", AGENT, BudgetPeriod.MONTHLY, 200, List.of(), false,
                Instant.now()));
        CreditLeases leases = replica(ledger, view);

        Flux.range(0, 100).flatMap(i -> hold(leases, "r" + i, 1).doOnNext(h -> h.charge(1, 1, 1, "m", "mock")), 16)
                .blockLast(Duration.ofSeconds(10));

        assertThat(ledger.sent(ReserveCreditCommand.class)).isNotEmpty()
                .allSatisfy(reserve -> assertThat(reserve.credits()).isLessThanOrEqualTo(20));
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(100);
    }

    @Test
    void when_the_budget_cannot_take_a_whole_lease_it_gets_what_fits_and_a_request_is_refused_only_if_it_does_not() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(7);
        CreditLeases leases = replica(ledger, new GovernanceView());

        LeaseHold first = hold(leases, "r1", 5).block(Duration.ofSeconds(5));
        assertThat(ledger.sent(ReserveCreditCommand.class)).singleElement().satisfies(reserve -> {
            assertThat(reserve.credits()).isEqualTo(20);
            assertThat(reserve.minimumCredits()).isEqualTo(5);
        });
        first.charge(5, 1, 1, "m", "mock");

        assertThatThrownBy(() -> hold(leases, "r2", 5).block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(402);
                    assertThat(e.budgetId()).isEqualTo("b1");
                });
        // Credit was short: the second lease asked for exactly the request, and once more after the first lease's
        // uncarved 2 credits were reclaimed (not enough either).
        assertThat(ledger.sent(ReserveCreditCommand.class)).extracting(ReserveCreditCommand::credits)
                .containsExactly(20L, 5L, 5L);
        LeaseHold small = hold(leases, "r3", 2).block(Duration.ofSeconds(5));
        small.charge(2, 1, 1, "m", "mock");
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(7);
    }

    /**
     * Commands of one organisation share a partition and are applied in the order written: the release may follow
     * its lease's charges as soon as they are written, not before (a release applied first would leave the charge
     * nothing to charge).
     */
    @Test
    void a_lease_is_released_only_once_its_charges_are_written() {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        CountDownLatch chargesWritten = new CountDownLatch(1);
        LedgerTransport writingChargesLate = (command, written) -> {
            if (!(command instanceof SettleLeasesCommand settle)
                    || settle.leases().stream().allMatch(lease -> lease.charges().isEmpty())) {
                CompletableFuture<LedgerReply> reply = budget.apply(command);
                written.complete(null);
                return reply;
            }
            return CompletableFuture.supplyAsync(() -> {
                awaitQuietly(chargesWritten);
                written.complete(null);
                return budget.apply(command).join();
            });
        };
        CreditLeases leases = replica(new LedgerGateway(writingChargesLate, new GovernanceView(), GATEWAY),
                new GovernanceView(), LEASES);

        hold(leases, "r1", 5).block(Duration.ofSeconds(5)).charge(4, 1, 1, "m", "mock");

        await().during(LEASES.idleRelease().multipliedBy(4)).atMost(LEASES.idleRelease().multipliedBy(8))
                .until(() -> releases(budget).isEmpty());
        chargesWritten.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.openReservations() == 0);
        assertThat(budget.charged()).isEqualTo(4);
    }

    /**
     * Regression: a non-streamed call runs on when its client leaves and is charged; the cancel reached the lease's
     * reservation through the request's flatMap and gave the hold back under it, so the charge failed ("already
     * ended") and the call was served free.
     */
    @Test
    void a_hold_handed_over_stays_with_its_request_when_the_request_is_cancelled_later() {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(budget, new GovernanceView());
        java.util.concurrent.atomic.AtomicReference<LeaseHold> held = new java.util.concurrent.atomic.AtomicReference<>();

        reactor.core.Disposable request = hold(leases, "r1", 5)
                .flatMap(hold -> {
                    held.set(hold);
                    return Mono.never();
                })
                .subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> held.get() != null);
        request.dispose();

        assertThat(held.get().charge(5, 1, 1, "m", "mock").credits()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.charged() == 5);
    }

    /**
     * A request running longer than its lease's time to live keeps its hold: the lease is renewed while the request
     * runs (before, the ledger's expiry handed its credit back under it, and its charge then found no lease), and
     * no longer once it ended.
     */
    @Test
    void a_lease_is_renewed_while_a_request_of_it_runs_and_not_after() {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        GatewaySettings shortTtl = new GatewaySettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 1024,
                4_194_304, null, null, Map.of(), null, null);
        CreditLeases leases = replica(new LedgerGateway(budget, new GovernanceView(), shortTtl),
                new GovernanceView(), LEASES);

        LeaseHold running = hold(leases, "long", 5).block(Duration.ofSeconds(5));
        String lease = running.leaseId();
        await().atMost(Duration.ofSeconds(10)).until(() -> renewals(budget, lease) >= 3);
        running.charge(5, 1, 1, "m", "mock");
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.openReservations() == 0);
        long renewed = renewals(budget, lease);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> renewals(budget, lease) == renewed);
        assertThat(budget.charged()).isEqualTo(5);
        assertThat(budget.sent(SettleLeasesCommand.class)).flatMap(SettleLeasesCommand::leases)
                .filteredOn(LeaseSettlement::renews)
                .allSatisfy(settlement -> assertThat(settlement.renewTtlSeconds()).isEqualTo(2));
    }

    private static long renewals(BudgetOnlyLedger ledger, String leaseId) {
        return ledger.sent(SettleLeasesCommand.class).stream().flatMap(c -> c.leases().stream())
                .filter(settlement -> settlement.reservationId().equals(leaseId) && settlement.renews()).count();
    }

    /**
     * The crash window: a replica answered (its charge was journaled) and died before the charge reached the ledger.
     * Its next start, on the same journal, sends the charge. Before the journal, that request was served free.
     */
    @Test
    void a_charge_journaled_by_a_replica_that_died_before_sending_it_is_sent_at_its_next_start() throws Exception {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("charge-journal");
        ChargeJournal firstRun = new ChargeJournal(directory, 1 << 20);
        LedgerTransport losingSettlements = (command, written) -> command instanceof SettleLeasesCommand
                ? new CompletableFuture<>() : budget.apply(command).whenComplete((r, e) -> written.complete(null));
        CreditLeases dying = new CreditLeases(new LedgerGateway(losingSettlements, new GovernanceView(), GATEWAY),
                new GovernanceView(), LEASES, firstRun, Clock.systemUTC());

        ChargeReceipt receipt = hold(dying, "served", 5).block(Duration.ofSeconds(5)).charge(4, 1, 1, "m", "mock");
        assertThat(receipt.written()).as("on disk before the answer goes").succeedsWithin(Duration.ofSeconds(5));
        firstRun.close(); // the process dies: its lock goes with it, nothing more is sent

        replica(new LedgerGateway(budget, new GovernanceView(), GATEWAY), new GovernanceView(), LEASES,
                new ChargeJournal(directory, 1 << 20));

        await().atMost(Duration.ofSeconds(5)).until(() -> budget.chargedByRequest().containsKey("served"));
        assertThat(budget.chargedByRequest()).containsEntry("served", 4L);
    }

    /**
     * A command that was sent but never confirmed before the replica died is sent again under its own id, which the
     * ledger applies once; not its charges in a new command, which would charge them twice.
     */
    @Test
    void a_command_a_replica_sent_without_an_answer_goes_again_under_the_same_id() throws Exception {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("charge-journal");
        ChargeJournal firstRun = new ChargeJournal(directory, 1 << 20);
        List<LedgerCommand> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
        LedgerTransport unanswered = (command, written) -> {
            reached.add(command);
            CompletableFuture<LedgerReply> reply = budget.apply(command);
            written.complete(null);
            return command instanceof SettleLeasesCommand ? new CompletableFuture<>() : reply;
        };
        CreditLeases dying = new CreditLeases(new LedgerGateway(unanswered, new GovernanceView(), GATEWAY),
                new GovernanceView(), LEASES, firstRun, Clock.systemUTC());
        hold(dying, "served", 5).block(Duration.ofSeconds(5)).charge(4, 1, 1, "m", "mock");
        await().atMost(Duration.ofSeconds(5)).until(() -> reached.stream().anyMatch(SettleLeasesCommand.class::isInstance));
        String sentId = reached.stream().filter(SettleLeasesCommand.class::isInstance).findFirst().orElseThrow()
                .commandId();
        firstRun.close();

        BudgetOnlyLedger restartedLedger = new BudgetOnlyLedger(1_000);
        replica(new LedgerGateway(restartedLedger, new GovernanceView(), GATEWAY), new GovernanceView(), LEASES,
                new ChargeJournal(directory, 1 << 20));

        await().atMost(Duration.ofSeconds(5)).until(() -> !restartedLedger.sent(SettleLeasesCommand.class).isEmpty());
        assertThat(restartedLedger.sent(SettleLeasesCommand.class)).extracting(LedgerCommand::commandId)
                .containsExactly(sentId);
    }

    @Test
    void a_request_that_leaves_while_its_lease_is_being_reserved_gives_its_credits_back() {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        CountDownLatch reservationAnswered = new CountDownLatch(1);
        CreditLeases leases = replica(answeringLate(budget, ReserveCreditCommand.class, reservationAnswered),
                new GovernanceView());

        reactor.core.Disposable request = hold(leases, "r1", 5).subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> !budget.sent(ReserveCreditCommand.class).isEmpty());
        request.dispose();
        reservationAnswered.countDown();

        // Nothing holds the lease any more: it is returned when idle, not left to the ledger's expiry.
        await().atMost(Duration.ofSeconds(5)).until(() -> releases(budget).size() == 1);
        assertThat(budget.openReservations()).isZero();
        assertThat(budget.charged()).isZero();
    }

    /**
     * Regression found by the end-to-end KafkaRestartIT: requests waiting for another request's lease reservation
     * each made their own after it timed out, so with the broker down a request got its 503 after two or three
     * reservation timeouts instead of one.
     */
    @Test
    void requests_waiting_for_a_reservation_the_ledger_does_not_answer_fail_with_it() {
        List<LedgerCommand> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        CreditLeases leases = replica(command -> {
            sent.add(command);
            return CompletableFuture.supplyAsync(() -> {
                throw new dev.tally.ledger.client.LedgerTimeoutException("ReserveCredit", command.commandId(),
                        command.ledgerId(), Duration.ofMillis(300));
            }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        }, new GovernanceView());

        List<Throwable> failures = Flux.range(0, 3)
                .flatMap(i -> hold(leases, "r" + i, 5).then(Mono.<Throwable>empty()).onErrorResume(Mono::just), 3)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(failures).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(GatewayException.class,
                g -> assertThat(g.status().value()).isEqualTo(503)));
        assertThat(sent.stream().filter(ReserveCreditCommand.class::isInstance)).hasSize(1);
    }

    @Test
    void requests_waiting_for_a_renewal_the_ledger_does_not_answer_fail_with_it() {
        BudgetOnlyLedger budget = new BudgetOnlyLedger(1_000);
        java.util.concurrent.atomic.AtomicInteger reservations = new java.util.concurrent.atomic.AtomicInteger();
        CreditLeases leases = replica(command -> {
            if (command instanceof ReserveCreditCommand && reservations.incrementAndGet() > 1) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new dev.tally.ledger.client.LedgerTimeoutException("ReserveCredit", command.commandId(),
                            command.ledgerId(), Duration.ofMillis(300));
                }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
            }
            return budget.apply(command);
        }, new GovernanceView());
        for (int i = 0; i < 4; i++) { // a lease of four; the fourth request starts its renewal
            hold(leases, "r" + i, 5).block(Duration.ofSeconds(5)).charge(5, 1, 1, "m", "mock");
        }
        // The renewal is sent from another thread, a moment after the fourth request got its hold.
        await().atMost(Duration.ofSeconds(5)).until(() -> reservations.get() == 2);

        List<Throwable> failures = Flux.range(4, 2)
                .flatMap(i -> hold(leases, "r" + i, 5).then(Mono.<Throwable>empty()).onErrorResume(Mono::just), 2)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(GatewayException.class,
                g -> assertThat(g.status().value()).isEqualTo(503)));
        assertThat(reservations).as("no reservation after the renewal went unanswered").hasValue(2);
    }

    @Test
    void two_replicas_with_leases_never_let_a_budget_be_overspent() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(100);
        GovernanceView view = new GovernanceView();
        view.apply("budget:b1", new BudgetState("b1", "org", AGENT, BudgetPeriod.MONTHLY, 100, List.of(), false,
                Instant.now()));
        CreditLeases a = replica(ledger, view);
        CreditLeases b = replica(ledger, view);

        List<Integer> served = Flux.range(0, 500)
                .flatMap(i -> hold(i % 2 == 0 ? a : b, "r" + i, 1)
                        .publishOn(reactor.core.scheduler.Schedulers.parallel())
                        .map(h -> (int) h.charge(1, 1, 1, "m", "mock").credits())
                        .onErrorResume(GatewayException.class, e -> Mono.just(0)), 500)
                .collectList().block(Duration.ofSeconds(30));

        int successes = served.stream().mapToInt(Integer::intValue).sum();
        assertThat(successes).isLessThanOrEqualTo(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(successes);
        assertThat(ledger.reserved()).isZero();
        // Leases of at most a tenth of the budget: what one replica held idle while the other refused stays small.
        assertThat(successes).isGreaterThanOrEqualTo(80);
        releasesFollowEveryChargeOfTheirLease(ledger);
    }

    /**
     * Regression (issue "Real traffic at full speed"): on one replica, 200 concurrent requests against a budget of
     * 50 got 402 while up to 7 of its credits sat unused in this replica's own leases (43 and 49 served).
     */
    @Test
    void one_replica_serves_exactly_the_budget_however_many_ask_at_once() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(50);
        GovernanceView view = new GovernanceView();
        view.apply("budget:b1", new BudgetState("b1", "org", ORG, BudgetPeriod.DAILY, 50, List.of(), false,
                Instant.now()));
        CreditLeases leases = replica(answeringAfter(ledger, 5), view);

        int served = serve(Flux.range(0, 200).map(i -> hold(leases, "r" + i, 1)), 200);

        assertThat(served).isEqualTo(50);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(50);
    }

    @Test
    void one_replica_serves_exactly_an_organisation_budget_shared_by_many_agents() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(60);
        GovernanceView view = new GovernanceView();
        view.apply("budget:b1", new BudgetState("b1", "org", ORG, BudgetPeriod.DAILY, 60, List.of(), false,
                Instant.now()));
        CreditLeases leases = replica(answeringAfter(ledger, 5), view);

        // Ten agents, each its own lease line, requests of 2 credits: at most 30 fit, and all 30 are served.
        int served = serve(Flux.range(0, 200).map(i -> leases.hold("org", "r" + i,
                List.of(ORG, new Scope(ScopeLevel.MEMBER, "agent-" + i % 10)), List.of("org-pool"), 2,
                Priority.NORMAL, false)), 200);

        assertThat(served).isEqualTo(30);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(60);
    }

    /**
     * A member asking every 250 ms, with leases returned after 100 ms idle, reserved and released a lease for every
     * request: three ledger commands each. Its lease now waits for three of its usual gaps.
     */
    @Test
    void a_member_asking_less_often_than_the_idle_release_keeps_its_lease_between_requests() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());

        hold(leases, "r0", 1).block(Duration.ofSeconds(5)).charge(1, 1, 1, "m", "mock");
        await("the first lease returned after idle-release").pollDelay(Duration.ofMillis(250))
                .atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        for (int i = 1; i < 8; i++) {
            hold(leases, "r" + i, 1).block(Duration.ofSeconds(5)).charge(1, 1, 1, "m", "mock");
            // Its gap known, the member's lease outlives the next 250 ms without a request, though idle-release is
            // 100 ms.
            await("a lease kept through the gap").during(Duration.ofMillis(250)).atMost(Duration.ofSeconds(1))
                    .until(() -> ledger.openReservations() >= 1);
        }

        // The first lease goes after 100 ms (no gap known yet); then leases of four requests each.
        assertThat(ledger.sent(ReserveCreditCommand.class)).hasSizeLessThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(8);
    }

    /**
     * A member asking less than once a second had leases of four requests (a second of its rate, at least four): a
     * reservation and a release per four requests. Its lease now covers what it asks in a lease's life (up to 32).
     */
    @Test
    void a_member_asking_a_few_times_a_second_gets_a_lease_for_its_next_thirty_two_requests() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());

        for (int i = 0; i < 40; i++) {
            hold(leases, "r" + i, 1).block(Duration.ofSeconds(5)).charge(1, 1, 1, "m", "mock");
            sleepQuietly(Duration.ofMillis(200));
        }

        // The first lease goes back after idle-release (no gap known yet); the next ones, sized by a 200 ms gap over
        // a 30 s life, serve 32 requests each: 1 + 32 + 7. Leases of four, as before, took eleven reservations.
        assertThat(ledger.sent(ReserveCreditCommand.class)).extracting(ReserveCreditCommand::credits)
                .containsExactly(4L, 32L, 32L);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.charged()).isEqualTo(40);
        // The first and the last went idle; the middle one was spent and replaced.
        assertThat(leases.retired(RetireReason.IDLE)).isEqualTo(2);
        assertThat(leases.retired(RetireReason.REPLACED)).isEqualTo(1);
        assertThat(leases.retired(RetireReason.AGE) + leases.retired(RetireReason.RECLAIMED)).isZero();
    }

    /**
     * Spread traffic: each member has its own lease, and a charge command per lease made every request a ledger
     * command of its own on the organisation's one ledger. The charges of all of them share settlements.
     */
    @Test
    void the_charges_of_many_members_leases_share_one_settlement() {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(10_000);
        CreditLeases leases = replica(ledger, new GovernanceView());
        List<LeaseHold> holds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            holds.add(leases.hold("org", "r" + i, List.of(ORG, new Scope(ScopeLevel.MEMBER, "agent-" + i)),
                    List.of("org-pool"), 3, Priority.NORMAL, false).block(Duration.ofSeconds(5)));
        }

        holds.forEach(hold -> hold.charge(2, 1, 1, "m", "mock"));

        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.openReservations() == 0);
        assertThat(ledger.sent(ReserveCreditCommand.class)).hasSize(20);
        assertThat(ledger.sent(SettleLeasesCommand.class)).as("settlements for 20 leases' charges and releases")
                .hasSizeLessThanOrEqualTo(4);
        assertThat(ledger.charged()).isEqualTo(40);
        releasesFollowEveryChargeOfTheirLease(ledger);
    }

    /**
     * A budget's end with its rest in another replica's lease: a request refused while replica B's lease holds the
     * rest waits for B to return it (B does on reading the refusal from the ledger's events), so together the two
     * serve the budget minus at most one request each. Without the refusal feed, A served 30 of the 49 left.
     */
    @Test
    void two_replicas_serve_the_budget_but_at_most_one_request_each() throws InterruptedException {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(50);
        GovernanceView view = new GovernanceView();
        view.apply("budget:b1", new BudgetState("b1", "org", ORG, BudgetPeriod.DAILY, 50, List.of(), false,
                Instant.now()));
        List<CreditLeases> both = new java.util.concurrent.CopyOnWriteArrayList<>();
        Function<LedgerCommand, CompletableFuture<LedgerReply>> withRefusalFeed = command ->
                answeringAfter(ledger, 5).apply(command).thenApply(reply -> {
                    if (reply instanceof CommandRejectedReply refused && command instanceof ReserveCreditCommand c) {
                        // As tally.ledger.events would tell every replica, a moment later.
                        CreditReservationRejectedEvent event = new CreditReservationRejectedEvent("org",
                                c.commandId(), Instant.now(), c.reservationId(), c.floorCredits(), c.scopeChain(),
                                refused.reason(), refused.budgetId(), refused.detail());
                        CompletableFuture.runAsync(() -> both.forEach(r -> r.reclaimAfterRefusal(event)),
                                CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
                    }
                    return reply;
                });
        // Leases idle far longer than a request waits for credit: only the refusal feed returns them in time.
        LeaseSettings keepLeases = new LeaseSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 256, 2, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10));
        CreditLeases a = replica(withRefusalFeed, view, keepLeases);
        CreditLeases b = replica(withRefusalFeed, view, keepLeases);
        both.addAll(List.of(a, b));

        // B served one request and keeps the rest of its lease (20 asked, 1 charged) for its next ones.
        hold(b, "b-1", 5).block(Duration.ofSeconds(5)).charge(1, 1, 1, "m", "mock");
        int served = 1 + serve(Flux.range(0, 200).map(i -> hold(a, "r" + i, 1)), 200);

        assertThat(served).isBetween(48, 50);
        a.close();
        b.close();
        assertThat(ledger.openReservations()).isZero();
        assertThat(ledger.charged()).isEqualTo(served);
    }

    /** A request still running when the replica closes is charged when it ends, after the replica's timers stopped. */
    @Test
    void a_request_ending_after_its_replica_closed_is_still_charged() throws InterruptedException {
        BudgetOnlyLedger ledger = new BudgetOnlyLedger(1_000);
        CreditLeases leases = replica(ledger, new GovernanceView());
        LeaseHold running = hold(leases, "r1", 5).block(Duration.ofSeconds(5));

        leases.close(); // waits a few seconds for the running request, then stops its timers

        assertThat(running.charge(4, 1, 1, "m", "mock").credits()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.charged() == 4 && ledger.openReservations() == 0);
    }

    /** Runs the holds concurrently, charging each served request what it held; how many were served. */
    private static int serve(Flux<Mono<LeaseHold>> holds, int concurrency) {
        return holds.flatMap(hold -> hold.publishOn(reactor.core.scheduler.Schedulers.parallel())
                        .map(h -> {
                            h.charge(h.credits(), 1, 1, "m", "mock");
                            return 1;
                        })
                        .onErrorResume(GatewayException.class, e -> {
                            assertThat(e.status().value()).isEqualTo(402);
                            return Mono.just(0);
                        }), concurrency)
                .reduce(0, Integer::sum).block(Duration.ofSeconds(30));
    }

    /** After a lease's release (alone or closing a settlement), no later command charges it. */
    private static void releasesFollowEveryChargeOfTheirLease(BudgetOnlyLedger ledger) {
        List<LedgerCommand> commands = List.copyOf(ledger.commands);
        for (int i = 0; i < commands.size(); i++) {
            for (String released : released(commands.get(i))) {
                assertThat(commands.subList(i + 1, commands.size()))
                        .as("nothing charged to %s after its release", released)
                        .noneMatch(c -> c instanceof SettleLeasesCommand settle && settle.leases().stream()
                                .anyMatch(lease -> lease.reservationId().equals(released)
                                        && !lease.charges().isEmpty()));
            }
        }
    }

    /** The leases released so far, alone or in a settlement. */
    private static ChargeJournal journal() {
        try {
            return new ChargeJournal(java.nio.file.Files.createTempDirectory("charge-journal"), 1 << 20);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> releases(BudgetOnlyLedger ledger) {
        return List.copyOf(ledger.commands).stream().flatMap(c -> released(c).stream()).toList();
    }

    private static List<String> released(LedgerCommand command) {
        if (command instanceof ReleaseReservationCommand release) {
            return List.of(release.reservationId());
        }
        if (command instanceof SettleLeasesCommand settle) {
            return settle.leases().stream().filter(LeaseSettlement::release).map(LeaseSettlement::reservationId)
                    .toList();
        }
        return List.of();
    }

    private Mono<LeaseHold> hold(CreditLeases leases, String requestId, long credits) {
        return leases.hold("org", requestId, List.of(ORG, AGENT), List.of("org-pool"), credits, Priority.NORMAL,
                false);
    }

    private CreditLeases replica(Function<LedgerCommand, CompletableFuture<LedgerReply>> ledger, GovernanceView view) {
        return replica(ledger, view, LEASES);
    }

    private CreditLeases replica(Function<LedgerCommand, CompletableFuture<LedgerReply>> ledger, GovernanceView view,
            LeaseSettings settings) {
        return replica(new LedgerGateway(ledger, view, GATEWAY), view, settings);
    }

    private CreditLeases replica(LedgerGateway gateway, GovernanceView view, LeaseSettings settings) {
        return replica(gateway, view, settings, journal());
    }

    private CreditLeases replica(LedgerGateway gateway, GovernanceView view, LeaseSettings settings,
            ChargeJournal journal) {
        CreditLeases leases = new CreditLeases(gateway, view, settings, journal, Clock.systemUTC());
        gateways.add(gateway);
        replicas.add(leases);
        return leases;
    }

    /** The ledger answering every command {@code millis} later, on another thread, as over Kafka. */
    private static Function<LedgerCommand, CompletableFuture<LedgerReply>> answeringAfter(BudgetOnlyLedger ledger,
            long millis) {
        return command -> ledger.apply(command).thenApplyAsync(r -> r,
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    /** The ledger, except that its answers to commands of {@code type} arrive only once {@code answer} opens. */
    private static Function<LedgerCommand, CompletableFuture<LedgerReply>> answeringLate(BudgetOnlyLedger ledger,
            Class<? extends LedgerCommand> type, CountDownLatch answer) {
        return command -> {
            CompletableFuture<LedgerReply> reply = ledger.apply(command);
            if (!type.isInstance(command)) {
                return reply;
            }
            return reply.thenApplyAsync(r -> r, runnable -> new Thread(() -> {
                awaitQuietly(answer);
                runnable.run();
            }).start());
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.tally.ledger.domain;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReservationRenewedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.ledger.TransferRefusedEvent;
import dev.tally.events.ledger.UsageRecordedEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Property-based checks of the ledger's invariants: random command sequences against one ledger, with time moving
 * on far enough that daily and monthly budget windows roll, checked after every step.
 *
 * <p>Sequences are generated as abstract {@link Action}s that become concrete commands only against the state of
 * the moment, so usage, lease charges, release and expiry mostly name reservations that are open. A failure message carries the
 * failing step and the whole trace of concrete commands with their outcomes; jqwik shrinks the action list.
 */
class LedgerInvariantsProperties {

    static final String LEDGER = "ledger-1";
    static final String ORG = "org";
    static final String GHOST = "ghost";
    /** The accounts a sequence can open, with their kinds; the org account comes with the ledger. */
    static final Map<String, AccountKind> ACCOUNTS = orderedMap(
            ORG, AccountKind.ORG, "g1", AccountKind.GROUP, "g2", AccountKind.GROUP, "m1", AccountKind.MEMBER,
            "m2", AccountKind.MEMBER, "p1", AccountKind.PROJECT);
    static final List<String> ACCOUNT_IDS = List.copyOf(ACCOUNTS.keySet());

    static final Scope S_ORG = new Scope(ScopeLevel.ORG, "acme");
    static final Scope S_WS = new Scope(ScopeLevel.WORKSPACE, "ws");
    static final Scope S_G1 = new Scope(ScopeLevel.GROUP, "g1");
    static final Scope S_G2 = new Scope(ScopeLevel.GROUP, "g2");
    static final Scope S_M1 = new Scope(ScopeLevel.MEMBER, "m1");
    static final Scope S_M2 = new Scope(ScopeLevel.MEMBER, "m2");
    /** Two principals' hierarchies, org first; a reservation uses a prefix of one of them. */
    static final List<List<Scope>> CHAINS = List.of(List.of(S_ORG, S_WS, S_G1, S_M1), List.of(S_ORG, S_WS, S_G2, S_M2));
    static final List<Scope> BUDGET_SCOPES = List.of(S_ORG, S_WS, S_G1, S_G2, S_M1, S_M2);
    static final List<String> BUDGET_IDS = List.of("b1", "b2", "b3", "b4");

    // ------------------------------------------------------------------------------------------------ properties

    /** Properties 1a-1f: balances, overdraft, budgets, reservations, purity of decide, conservation, replay. */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void everyStepKeepsTheLedgerInvariants(@ForAll("scenarios") Scenario scenario) {
        Run run = new Run(scenario);
        run.execute(true, false, false);
        run.checkReplayEqualsProjection();
        run.collectStatistics();
    }

    /**
     * Property 2: per budget and window, each threshold alert and the exhaustion alert fire at most once; a
     * threshold alert reports spend at or above its threshold; and every alert names the budget's period and the
     * window of that period it happened in. A budget removed and defined again, or redefined with another period,
     * counts as a new budget.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void thresholdAndExhaustionAlertsFireAtMostOncePerBudgetWindow(@ForAll("budgetScenarios") Scenario scenario) {
        Run run = new Run(scenario);
        run.execute(false, true, false);
        run.collectStatistics();
    }

    /**
     * Property 3: a budget's {@code reserved} is backed by open holds: at least the open holds made under its present
     * definition in its current window, at most all open holds on it. So it never goes negative and nothing stays
     * reserved once the holds are gone, and {@code charged + reserved <= limit} (1b) is about real holds.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void budgetReservedIsTheSumOfItsOpenHolds(@ForAll("budgetScenarios") Scenario scenario) {
        Run run = new Run(scenario);
        run.execute(false, false, true);
        run.collectStatistics();
    }

    // ------------------------------------------------------------------------------------------------ generators

    /** One ledger's life: when it starts, its overdraft limit, and the steps after {@code OpenLedger}. */
    record Scenario(Instant start, long overdraftLimit, List<Step> steps) {
    }

    /** Time moves on by {@code advanceSeconds}, then {@code action} becomes a command. */
    record Step(long advanceSeconds, Action action) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return scenarios(false);
    }

    /** More budgets, reservations under them and usage against them: alerts and budget windows get exercised. */
    @Provide
    Arbitrary<Scenario> budgetScenarios() {
        return scenarios(true);
    }

    static Arbitrary<Scenario> scenarios(boolean budgetHeavy) {
        // Start within the last four days of a month, so month (and day) windows roll inside a sequence.
        Arbitrary<Instant> start = Combinators.combine(Arbitraries.integers().between(0, 23), uniform(0, 4 * 86_400L))
                .as((month, secondsBefore) -> LocalDate.of(2024, 1, 1).plusMonths(month)
                        .atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(secondsBefore));
        Arbitrary<Long> advance = Arbitraries.frequencyOf(
                Tuple.of(55, uniform(0, 600)), Tuple.of(30, uniform(0, 7_200)), Tuple.of(15, uniform(0, 2 * 86_400L)));
        Arbitrary<Step> step = Combinators.combine(advance, actions(budgetHeavy)).as(Step::new);
        return Combinators.combine(start, uniform(0, 50),
                        step.list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform()))
                .as(Scenario::new);
    }

    static Arbitrary<Action> actions(boolean budgetHeavy) {
        Arbitrary<Boolean> rarely = Arbitraries.frequencyOf(
                Tuple.of(25, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<AccountRef> account = Combinators.combine(Arbitraries.integers().between(0, 11), rarely)
                .as(AccountRef::new);
        Arbitrary<String> openable = Arbitraries.of(ACCOUNT_IDS);
        Arbitrary<Pick> pick = Combinators.combine(Arbitraries.integers().between(0, 20), rarely).as(Pick::new);
        Arbitrary<String> budgetId = Arbitraries.of(BUDGET_IDS);

        Arbitrary<Action> openAccount = openable.map(OpenAccount::new);
        Arbitrary<Action> purchase = Combinators.combine(account, amount(500)).as(Purchase::new);
        Arbitrary<Action> transfer = Combinators.combine(account, account, amount(300)).as(Transfer::new);
        Arbitrary<List<Integer>> thresholds = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<Integer>of())),
                Tuple.of(4, Arbitraries.integers().between(1, 100).list().ofMinSize(1).ofMaxSize(4)),
                Tuple.of(1, Arbitraries.integers().between(0, 101).list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Long> limit = Arbitraries.frequencyOf(
                Tuple.of(20, uniform(1, 150)), Tuple.of(10, uniform(1, 500)), Tuple.of(1, Arbitraries.just(0L)));
        Arbitrary<Action> defineBudget = Combinators.combine(budgetId, Arbitraries.of(BUDGET_SCOPES),
                        Arbitraries.of(BudgetPeriod.class), limit, thresholds, Arbitraries.of(true, false))
                .as(DefineBudget::new);
        Arbitrary<Action> removeBudget = budgetId.map(RemoveBudget::new);
        Arbitrary<Action> reserve = Combinators.combine(account.list().ofMinSize(1).ofMaxSize(3),
                        amount(200), Arbitraries.of(Priority.class),
                        Arbitraries.integers().between(0, CHAINS.size() - 1), Arbitraries.integers().between(0, 4),
                        Arbitraries.longs().between(1, 600), rarely)
                .as(Reserve::new);
        Arbitrary<Action> usage = Combinators.combine(pick, uniform(0, 300)).as(RecordUsage::new);
        // Mostly parts of a reservation, so a lease is charged several times before it runs dry or ends.
        Arbitrary<Long> requestCost = Arbitraries.frequencyOf(
                Tuple.of(30, uniform(0, 80)), Tuple.of(3, uniform(0, 300)), Tuple.of(1, Arbitraries.just(-1L)));
        Arbitrary<List<Long>> requestCosts = Arbitraries.frequencyOf(
                Tuple.of(15, requestCost.list().ofMinSize(1).ofMaxSize(4)), Tuple.of(1, Arbitraries.just(List.of())));
        Arbitrary<Pick> chargePick = Combinators.combine(Arbitraries.integers().between(0, 20), rarely,
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .as(Pick::new);
        Arbitrary<Action> chargeLease = Combinators.combine(chargePick, requestCosts, rarely).as(ChargeLease::new);
        // Mostly no renewal; now and then one, short or long; rarely one out of bounds, which refuses the settlement.
        Arbitrary<Long> renewal = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0L)),
                Tuple.of(8, uniform(1, 900)), Tuple.of(1, Arbitraries.of(-1L, LedgerRules.MAX_TTL_SECONDS + 1)));
        Arbitrary<Action> settle = Combinators.combine(chargePick, requestCosts, rarely).as(ChargeLease::new).list()
                .ofMinSize(1).ofMaxSize(3).flatMap(leases -> Combinators.combine(
                        Arbitraries.of(true, false).list().ofSize(leases.size()),
                        renewal.list().ofSize(leases.size()))
                        .as((releases, renewals) -> new SettleLeases(leases, releases, renewals)));
        Arbitrary<Action> release = pick.map(Release::new);
        Arbitrary<Action> expire = pick.map(Expire::new);
        Arbitrary<Action> adjust = Combinators.combine(account, uniform(-200, 200)).as(Adjust::new);
        Arbitrary<Action> refund = Combinators.combine(account, amount(200), pick).as(Refund::new);
        Arbitrary<Action> reopen = Arbitraries.just(new OpenLedgerAgain());

        if (budgetHeavy) {
            return Arbitraries.frequencyOf(
                    Tuple.of(4, openAccount), Tuple.of(15, purchase), Tuple.of(2, transfer), Tuple.of(12, defineBudget),
                    Tuple.of(4, removeBudget), Tuple.of(25, reserve), Tuple.of(20, usage), Tuple.of(15, chargeLease),
                    Tuple.of(6, settle), Tuple.of(4, release), Tuple.of(4, expire), Tuple.of(2, adjust), Tuple.of(2, refund));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(8, openAccount), Tuple.of(12, purchase), Tuple.of(6, transfer), Tuple.of(8, defineBudget),
                Tuple.of(2, removeBudget), Tuple.of(25, reserve), Tuple.of(12, usage), Tuple.of(12, chargeLease),
                Tuple.of(5, settle), Tuple.of(5, release), Tuple.of(5, expire), Tuple.of(5, adjust), Tuple.of(3, refund),
                Tuple.of(1, reopen));
    }

    /** A positive amount up to {@code max}, now and then zero (an invalid amount). */
    static Arbitrary<Long> amount(long max) {
        return Arbitraries.frequencyOf(Tuple.of(30, uniform(1, max)), Tuple.of(1, Arbitraries.just(0L)));
    }

    static Arbitrary<Long> uniform(long min, long max) {
        return Arbitraries.longs().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    // ------------------------------------------------------------------------------------------------ actions

    /** An abstract step; {@link #command} makes it concrete against the current state. */
    interface Action {
        LedgerCommand command(String commandId, int stepIndex, LedgerState state);
    }

    /** Picks an open account (by index into the accounts in the order they were opened), or an unknown one. */
    record AccountRef(int index, boolean unknown) {
        String accountId(LedgerState state) {
            List<String> open = List.copyOf(state.accounts.keySet());
            return unknown || open.isEmpty() ? GHOST : open.get(index % open.size());
        }

        static List<String> accountIds(List<AccountRef> refs, LedgerState state) {
            return refs.stream().map(r -> r.accountId(state)).toList();
        }
    }

    /**
     * Picks an open reservation (by index into the sorted open ids), or names one that does not exist, or (for
     * charges) one that expired: a gateway replica's late charges.
     */
    record Pick(int index, boolean unknown, boolean expired) {

        Pick(int index, boolean unknown) {
            this(index, unknown, false);
        }

        String reservationId(LedgerState state) {
            List<String> ended = state.expiredLeases.keySet().stream().sorted().toList();
            if (expired && !ended.isEmpty()) {
                return ended.get(index % ended.size());
            }
            List<String> open = state.reservations.keySet().stream().sorted().toList();
            return unknown || open.isEmpty() ? "r-unknown" : open.get(index % open.size());
        }
    }

    record OpenAccount(String accountId) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new OpenAccountCommand(commandId, LEDGER, accountId, ACCOUNTS.get(accountId), "test");
        }
    }

    record Purchase(AccountRef account, long credits) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new PurchaseCreditsCommand(commandId, LEDGER, account.accountId(state), credits, "test",
                    "ref-" + commandId);
        }
    }

    record Transfer(AccountRef from, AccountRef to, long credits) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new TransferCreditsCommand(commandId, LEDGER, from.accountId(state), to.accountId(state), credits,
                    "test", "move");
        }
    }

    record DefineBudget(String budgetId, Scope scope, BudgetPeriod period, long limit, List<Integer> thresholds,
            boolean autoDisable) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new DefineBudgetCommand(commandId, LEDGER, budgetId, scope, period, limit, thresholds, autoDisable,
                    "test");
        }
    }

    record RemoveBudget(String budgetId) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new RemoveBudgetCommand(commandId, LEDGER, budgetId, "test");
        }
    }

    record Reserve(List<AccountRef> accounts, long credits, Priority priority, int chain, int prefix, long ttlSeconds,
            boolean reuseOpenId) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            String id = reuseOpenId && !state.reservations.isEmpty()
                    ? state.reservations.keySet().iterator().next() : "r" + stepIndex;
            // Every third reservation is a lease that takes what fits down to a quarter of what it asks.
            long minimum = stepIndex % 3 == 0 ? credits / 4 : 0;
            return new ReserveCreditCommand(commandId, LEDGER, id, CHAINS.get(chain).subList(0, prefix),
                    AccountRef.accountIds(accounts, state), credits, priority, ttlSeconds, minimum);
        }
    }

    record RecordUsage(Pick pick, long actualCredits) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new RecordUsageCommand(commandId, LEDGER, pick.reservationId(state), actualCredits, 10, 5,
                    "model", "provider");
        }
    }

    /** Charges one request per cost against a reservation held as a lease; now and then names a request twice. */
    record ChargeLease(Pick pick, List<Long> costs, boolean repeatRequest) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            List<LeaseCharge> charges = new ArrayList<>();
            for (int i = 0; i < costs.size(); i++) {
                String requestId = "q" + stepIndex + "-" + (repeatRequest ? 0 : i);
                // Every other charge is capped by what the gateway held for it, below its cost.
                long held = i % 2 == 0 ? Long.MAX_VALUE : Math.max(0, costs.get(i) / 2);
                charges.add(new LeaseCharge(requestId, held, costs.get(i), 10, 5, "model", "provider"));
            }
            return new ChargeLeaseCommand(commandId, LEDGER, pick.reservationId(state), charges);
        }
    }

    /**
     * Settles up to three leases at once: each lease's renewal when {@code renewals} has one, its charges as
     * {@link ChargeLease} would make them, and its release when {@code releases} says so (always when it has neither
     * charges nor a renewal). A lease picked twice is settled once.
     */
    record SettleLeases(List<ChargeLease> leases, List<Boolean> releases, List<Long> renewals) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            List<LeaseSettlement> settlements = new ArrayList<>();
            java.util.Set<String> named = new java.util.HashSet<>();
            for (int i = 0; i < leases.size(); i++) {
                ChargeLeaseCommand charge = (ChargeLeaseCommand) leases.get(i).command(commandId, stepIndex * 10 + i,
                        state);
                if (named.add(charge.reservationId())) {
                    boolean release = releases.get(i) || (charge.charges().isEmpty() && renewals.get(i) == 0);
                    settlements.add(new LeaseSettlement(charge.reservationId(), charge.charges(), release,
                            release ? "lease returned" : null, renewals.get(i)));
                }
            }
            return new SettleLeasesCommand(commandId, LEDGER, settlements);
        }
    }

    record Release(Pick pick) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new ReleaseReservationCommand(commandId, LEDGER, pick.reservationId(state), "cancelled");
        }
    }

    record Expire(Pick pick) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new ExpireReservationCommand(commandId, LEDGER, pick.reservationId(state));
        }
    }

    record Adjust(AccountRef account, long delta) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new AdjustBalanceCommand(commandId, LEDGER, account.accountId(state), delta, "admin", "correction");
        }
    }

    record Refund(AccountRef account, long credits, Pick pick) implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new RefundCreditsCommand(commandId, LEDGER, account.accountId(state), credits,
                    pick.reservationId(state), "admin", "refund");
        }
    }

    record OpenLedgerAgain() implements Action {
        public LedgerCommand command(String commandId, int stepIndex, LedgerState state) {
            return new OpenLedgerCommand(commandId, LEDGER, ORG, 10, "test");
        }
    }

    // ------------------------------------------------------------------------------------------------ the run

    /** One step of a run, as a line of the trace a failure prints. */
    record Executed(int index, Instant at, LedgerCommand command, Decision decision) {
        @Override
        public String toString() {
            return String.format("#%d @%s %s%n      -> %s %s", index, at, command, decision.reply(), decision.events());
        }
    }

    /** Drives one scenario through {@link LedgerRules#decide} and {@link LedgerState#apply}, checking as it goes. */
    static final class Run {

        final Scenario scenario;
        final LedgerState state = new LedgerState();
        final List<LedgerEvent> events = new ArrayList<>();
        /** Every step as executed, formatted only when a check fails. */
        final List<Executed> trace = new ArrayList<>();
        Instant now;

        // What the events say happened, to compare the state with.
        long purchased;
        long refunded;
        long adjusted;
        long charged;
        boolean criticalAccepted;
        /** The accounts that carried the last leg of a critical reservation: the only ones that may go below zero. */
        final Set<String> overdraftable = new HashSet<>();
        boolean everOverdrawn;
        /** Per account, every credit a bill beyond its hold took from it: the other way an account may go negative. */
        final Map<String, Long> billedOverdrafts = new HashMap<>();
        /** Per budget, what this step's overdrafts added to its spend: the only way spend may pass a limit. */
        final Map<String, Long> stepOverdrafts = new HashMap<>();
        /** The account each reservation drew from first, as reserved. */
        final Map<String, String> firstAccounts = new HashMap<>();
        long overdrafts;
        int renewals;
        boolean budgetRefused;
        boolean windowRolled;
        int thresholdAlerts;
        int reservationsAccepted;
        int usagesOnBudgets;
        int leaseCharges;
        int leasesChargedDry;
        int lateCharges;
        /**
         * Budget id to its incarnation: a removed budget that is defined again, or one redefined with another period,
         * is a new budget as far as windows and alerts go.
         */
        final Map<String, Integer> generation = new HashMap<>();
        /** Reservation id to the incarnation of each budget it holds, at the time it was made. */
        final Map<String, Map<String, Integer>> holdGenerations = new HashMap<>();
        final Set<List<Object>> thresholdsSeen = new HashSet<>();
        final Set<List<Object>> exhaustionsSeen = new HashSet<>();

        // The step being checked.
        int stepIndex;
        LedgerCommand command;
        Decision decision;

        Run(Scenario scenario) {
            this.scenario = scenario;
            this.now = scenario.start();
        }

        void execute(boolean invariants, boolean alerts, boolean budgetHolds) {
            LedgerCommand open = new OpenLedgerCommand("c0", LEDGER, ORG, scenario.overdraftLimit(), "test");
            step(0, open, invariants, alerts, budgetHolds);
            check(state.isOpen(), () -> "the ledger did not open");
            List<Step> steps = scenario.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                now = now.plusSeconds(s.advanceSeconds());
                int index = i + 1;
                step(index, s.action().command("c" + index, index, state), invariants, alerts, budgetHolds);
            }
        }

        private void step(int index, LedgerCommand cmd, boolean invariants, boolean alerts, boolean budgetHolds) {
            if (cmd instanceof SettleLeasesCommand settle) {
                settle(index, settle, invariants, alerts, budgetHolds);
                return;
            }
            stepIndex = index;
            command = cmd;
            decision = null;
            stepOverdrafts.clear();
            LedgerSnapshot before = state.snapshot();
            String jsonBefore = invariants ? json(state) : null;
            Map<String, Integer> generationsBefore = new HashMap<>(generation);

            decision = LedgerRules.decide(state, cmd, now);
            trace.add(new Executed(index, now, cmd, decision));

            if (invariants) {
                checkDecisionIsPure(jsonBefore);
            }
            for (LedgerEvent event : decision.events()) {
                track(event, alerts);
                state.apply(event);
            }
            everOverdrawn |= state.totalOverdraft() > 0;
            if (invariants) {
                checkReply(before);
                checkOverdraft();
                checkBudgetLimits(before, generationsBefore);
                checkAccountReservations();
                checkConservation();
            }
            if (budgetHolds) {
                checkBudgetHolds();
            }
        }

        /**
         * 1h: a settlement does exactly what its parts would: each lease's {@code ChargeLease} then its
         * {@code ReleaseReservation}, in order, each part checked like any command. The settlement itself is decided
         * on a copy of the state; its events, reply and resulting state must equal the parts'. An ill-formed one
         * changes nothing.
         */
        private void settle(int index, SettleLeasesCommand settle, boolean invariants, boolean alerts,
                boolean budgetHolds) {
            String jsonBefore = json(state);
            LedgerState copy = LedgerStateJson.read(jsonBefore.getBytes(StandardCharsets.UTF_8));
            List<LedgerEvent> settled = new ArrayList<>();
            LedgerReply reply = LedgerRules.settle(copy, settle, now, event -> {
                settled.add(event);
                copy.apply(event);
            });
            if (reply instanceof CommandRejectedReply) {
                check(settled.isEmpty() && json(copy).equals(jsonBefore),
                        () -> "a refused settlement changed the state: " + settle);
                return;
            }
            List<LedgerEvent> expected = new ArrayList<>();
            long charged = 0;
            for (LeaseSettlement lease : settle.leases()) {
                if (lease.renews()) {
                    expected.addAll(renew(index, settle, lease, invariants));
                }
                if (!lease.charges().isEmpty()) {
                    step(index, new ChargeLeaseCommand(settle.commandId(), LEDGER, lease.reservationId(),
                            lease.charges()), invariants, alerts, budgetHolds);
                    if (decision.reply() instanceof CommandAcceptedReply accepted) {
                        expected.addAll(decision.events());
                        charged += accepted.credits();
                    }
                }
                if (lease.release()) {
                    step(index, new ReleaseReservationCommand(settle.commandId(), LEDGER, lease.reservationId(),
                            lease.reason()), invariants, alerts, budgetHolds);
                    if (decision.reply() instanceof CommandAcceptedReply) {
                        expected.addAll(decision.events());
                    }
                }
            }
            long total = charged;
            check(settled.equals(expected), () -> "a settlement's events differ from its parts':\n settled "
                    + settled + "\n parts   " + expected);
            check(((CommandAcceptedReply) reply).credits() == total,
                    () -> "a settlement replied " + reply + " but its parts charged " + total);
            check(json(copy).equals(json(state)), () -> "a settlement left another state than its parts");
        }

        /**
         * 1h, the renewal part: a lease still open whose expiry now plus the renewal would postpone gets exactly that
         * expiry, and nothing else changes; an ended lease or a renewal that would not postpone it changes nothing.
         */
        private List<LedgerEvent> renew(int index, SettleLeasesCommand settle, LeaseSettlement lease,
                boolean invariants) {
            stepIndex = index;
            command = settle;
            decision = null;
            Reservation open = state.reservations.get(lease.reservationId());
            Instant until = now.plusSeconds(lease.renewTtlSeconds());
            if (open == null || !until.isAfter(open.expiresAt())) {
                return List.of();
            }
            LedgerSnapshot before = state.snapshot();
            LedgerEvent renewed = new ReservationRenewedEvent(LEDGER, settle.commandId(), now, lease.reservationId(),
                    until);
            track(renewed, false);
            state.apply(renewed);
            renewals++;
            if (invariants) {
                check(state.reservations.get(lease.reservationId()).equals(open.renewedUntil(until))
                                && state.snapshot().accounts().equals(before.accounts())
                                && state.snapshot().budgets().equals(before.budgets()),
                        () -> "a renewal changed more than the lease's expiry: " + renewed);
            }
            return List.of(renewed);
        }

        /** Updates the event-derived bookkeeping, and checks alert uniqueness before the event is applied. */
        private void track(LedgerEvent event, boolean alerts) {
            events.add(event);
            if (event instanceof CreditsPurchasedEvent e) {
                purchased += e.credits();
            } else if (event instanceof CreditsRefundedEvent e) {
                refunded += e.credits();
            } else if (event instanceof BalanceAdjustedEvent e) {
                adjusted += e.deltaCredits();
            } else if (event instanceof UsageRecordedEvent e) {
                charged += e.chargedCredits();
                Reservation settled = state.reservations.get(e.reservationId());
                usagesOnBudgets += settled != null && !settled.budgets().isEmpty() ? 1 : 0;
                long legs = e.charges().stream().mapToLong(Leg::credits).sum();
                long held = Math.min(e.actualCredits(), e.reservedCredits());
                // The whole cost is charged: the held part from the legs, the rest overdrawn on the first account.
                check(legs == held && e.heldPartCredits() == held && e.chargedCredits() == e.actualCredits()
                                && e.uncollectedCredits() == 0 && e.overdraftCredits() == e.actualCredits() - held
                                && e.releasedCredits() == e.reservedCredits() - held
                                && overdraftOnFirstAccount(settled, e.overdraftCredits(), e.overdraftAccountId()),
                        () -> "usage amounts do not add up: " + e);
                overdraft(settled, e.overdraftCredits());
                holdGenerations.remove(e.reservationId());
            } else if (event instanceof LeaseChargedEvent e) {
                charged += e.chargedCredits();
                leaseCharges++;
                // Tracked before the event is applied: the lease as the charge found it.
                Reservation lease = state.reservations.get(e.reservationId());
                if (lease == null) {
                    lateCharge(e);
                    return;
                }
                usagesOnBudgets += !lease.budgets().isEmpty() ? 1 : 0;
                leasesChargedDry += e.remainingCredits() == 0 && lease.credits() > 0 ? 1 : 0;
                long legs = e.charges().stream().mapToLong(Leg::credits).sum();
                long held = ((ChargeLeaseCommand) command).charges().stream()
                        .filter(c -> c.requestId().equals(e.requestId())).findFirst().orElseThrow().heldCredits();
                long heldPart = Math.min(Math.min(e.actualCredits(), held), lease.credits());
                check(legs == heldPart && e.heldPartCredits() == heldPart
                                && e.charges().stream().allMatch(l -> l.credits() > 0)
                                && e.chargedCredits() == e.actualCredits() && e.uncollectedCredits() == 0
                                && e.overdraftCredits() == e.actualCredits() - heldPart
                                && e.remainingCredits() == lease.credits() - heldPart
                                && overdraftOnFirstAccount(lease, e.overdraftCredits(), e.overdraftAccountId()),
                        () -> "lease charge amounts do not add up against " + lease + ": " + e);
                overdraft(lease, e.overdraftCredits());
            } else if (event instanceof CreditOverdrawnEvent e) {
                LedgerEvent charge = events.get(events.size() - 2);
                long expected = charge instanceof LeaseChargedEvent l ? l.overdraftCredits()
                        : ((UsageRecordedEvent) charge).overdraftCredits();
                // The alert follows its charge, already applied: it reports the account as the charge left it.
                Account account = state.accounts.get(e.accountId());
                check(expected == e.overdraftCredits() && e.overdraftCredits() > 0
                                && e.balanceCredits() == account.balance && e.availableCredits() == account.available(),
                        () -> "overdraft alert " + e + " does not match its charge " + charge + " or the account "
                                + account.balance + "/" + account.reserved);
            } else if (event instanceof CreditReservedEvent e) {
                firstAccounts.put(e.reservationId(), e.legs().get(0).accountId());
                if (e.priority() == Priority.CRITICAL) {
                    criticalAccepted = true;
                    overdraftable.add(e.legs().get(e.legs().size() - 1).accountId());
                }
                reservationsAccepted++;
                check(e.legs().stream().mapToLong(Leg::credits).sum() == e.credits()
                                && e.legs().stream().allMatch(l -> l.credits() > 0),
                        () -> "reservation legs do not add up to its credits: " + e);
                Map<String, Integer> gens = new HashMap<>();
                e.budgets().forEach(h -> gens.put(h.budgetId(), generation.getOrDefault(h.budgetId(), 0)));
                holdGenerations.put(e.reservationId(), gens);
                state.budgets.forEach((id, b) -> windowRolled |= e.budgets().stream()
                        .anyMatch(h -> h.budgetId().equals(id) && !b.isCurrent(h.windowStart())));
            } else if (event instanceof BudgetRemovedEvent e) {
                generation.merge(e.budgetId(), 1, Integer::sum);
            } else if (event instanceof BudgetDefinedEvent e) {
                Budget existing = state.budgets.get(e.budgetId());
                if (existing != null && existing.period != e.period()) {
                    // A budget that changes its period counts its windows differently: a new budget for alerts.
                    generation.merge(e.budgetId(), 1, Integer::sum);
                }
            } else if (event instanceof CreditReservationRejectedEvent e) {
                budgetRefused |= e.budgetId() != null;
            } else if (event instanceof BudgetThresholdCrossedEvent e) {
                thresholdAlerts++;
                List<Object> key = List.of(e.budgetId(), generation.getOrDefault(e.budgetId(), 0), e.period(),
                        e.windowStart(), e.thresholdPercent());
                boolean first = thresholdsSeen.add(key);
                if (alerts) {
                    check(first, () -> "threshold " + e.thresholdPercent() + "% of budget " + e.budgetId()
                            + " crossed a second time in its " + e.period() + " window from " + e.windowStart()
                            + ": " + e);
                    check(e.spentCredits() * 100 >= (long) e.thresholdPercent() * e.limitCredits(),
                            () -> "threshold alert below its threshold: " + e);
                    checkAlertWindow(e.budgetId(), e.period(), e.windowStart(), e.occurredAt(), e);
                }
            } else if (event instanceof BudgetExhaustedEvent e) {
                List<Object> key = List.of(e.budgetId(), generation.getOrDefault(e.budgetId(), 0), e.period(),
                        e.windowStart());
                boolean first = exhaustionsSeen.add(key);
                if (alerts) {
                    check(first, () -> "budget " + e.budgetId() + " exhausted a second time in its " + e.period()
                            + " window from " + e.windowStart() + ": " + e);
                    checkAlertWindow(e.budgetId(), e.period(), e.windowStart(), e.occurredAt(), e);
                }
            } else if (event instanceof ReservationReleasedEvent e) {
                holdGenerations.remove(e.reservationId());
            } else if (event instanceof ReservationExpiredEvent e) {
                holdGenerations.remove(e.reservationId());
            }
        }

        /**
         * 1i: a charge for a lease that expired is charged whole, outside any hold, to the account the lease drew from
         * first, and counts in the lease's budgets like an overdraft.
         */
        private void lateCharge(LeaseChargedEvent e) {
            lateCharges++;
            ExpiredLease expired = state.expiredLeases.get(e.reservationId());
            String first = firstAccounts.get(e.reservationId());
            check(expired != null && e.charges().isEmpty() && e.chargedCredits() == e.actualCredits()
                            && e.uncollectedCredits() == 0 && e.overdraftCredits() == e.actualCredits()
                            && e.remainingCredits() == 0
                            && (e.overdraftCredits() == 0 ? e.overdraftAccountId() == null
                                    : e.overdraftAccountId().equals(first)),
                    () -> "late charge amounts do not add up against " + expired + ": " + e);
            if (e.overdraftCredits() > 0) {
                overdrafts++;
                billedOverdrafts.merge(first, e.overdraftCredits(), Long::sum);
                expired.budgets().forEach(h -> stepOverdrafts.merge(h.budgetId(), e.overdraftCredits(), Long::sum));
            }
        }

        private boolean overdraftOnFirstAccount(Reservation reservation, long overdraft, String accountId) {
            return overdraft == 0 ? accountId == null : accountId.equals(firstAccounts.get(reservation.id()));
        }

        /** Books an overdraft of a charge against its reservation, before the charge is applied. */
        private void overdraft(Reservation reservation, long credits) {
            if (credits == 0) {
                return;
            }
            overdrafts++;
            billedOverdrafts.merge(firstAccounts.get(reservation.id()), credits, Long::sum);
            for (BudgetHold hold : reservation.budgets()) {
                stepOverdrafts.merge(hold.budgetId(), credits, Long::sum);
            }
        }

        /** Property 2: an alert names the budget's period and the window of that period it happened in. */
        private void checkAlertWindow(String budgetId, BudgetPeriod period, LocalDate windowStart, Instant at,
                LedgerEvent alert) {
            Budget budget = state.budgets.get(budgetId);
            check(budget != null && budget.period == period
                            && windowStart.equals(period.windowStart(at)),
                    () -> "alert for a window other than the " + period + " window of " + at + " ("
                            + period.windowStart(at) + "): " + alert);
        }

        /** 1d: deciding reads the state and nothing else; a JSON-restored state decides the same. */
        private void checkDecisionIsPure(String jsonBefore) {
            String jsonAfter = json(state);
            check(jsonAfter.equals(jsonBefore), () -> "decide changed the state:\n before " + jsonBefore
                    + "\n after  " + jsonAfter);
            LedgerState restored = LedgerStateJson.read(jsonBefore.getBytes(StandardCharsets.UTF_8));
            Decision again = LedgerRules.decide(restored, command, now);
            check(again.equals(decision), () -> "a state restored from JSON decides differently: " + again);
        }

        /** 1d: a reply matches its events, and a refusal changes no balance, reservation or budget definition. */
        private void checkReply(LedgerSnapshot before) {
            List<LedgerEvent> produced = decision.events();
            if (decision.reply() instanceof CommandAcceptedReply accepted) {
                check(!produced.isEmpty() && accepted.outcome().equals(LedgerMessageTypes.nameOf(produced.get(0))),
                        () -> "accepted without the event it names");
                return;
            }
            check(decision.reply() instanceof CommandRejectedReply, () -> "unknown reply");
            check(produced.stream().allMatch(e -> e instanceof TransferRefusedEvent
                            || e instanceof CreditReservationRejectedEvent || e instanceof BudgetExhaustedEvent),
                    () -> "a refusal recorded events that move credits");
            LedgerSnapshot after = state.snapshot();
            if (produced.isEmpty()) {
                check(after.equals(before), () -> "a rejected command changed the state:\n before " + before
                        + "\n after  " + after);
            } else {
                check(after.accounts().equals(before.accounts())
                                && after.reservations().equals(before.reservations())
                                && limits(after).equals(limits(before)),
                        () -> "a refusal changed balances, reservations or budgets:\n before " + before
                                + "\n after  " + after);
            }
        }

        /**
         * 1a: an account goes below zero only by overdrafts: critical reservations, all of them together by at most
         * the ledger's limit, and bills beyond their hold, on the account their reservation drew from first, by at
         * most what those bills took from it.
         */
        private void checkOverdraft() {
            long total = state.accounts.values().stream().mapToLong(a -> Math.max(0, -(a.balance - a.reserved))).sum();
            long billed = billedOverdrafts.values().stream().mapToLong(Long::longValue).sum();
            check(total <= state.overdraftLimit + billed, () -> "accounts are overdrawn by " + total
                    + " in total, beyond the overdraft limit " + state.overdraftLimit + " and the " + billed
                    + " credits billed beyond holds: " + accounts());
            if (!criticalAccepted) {
                check(total <= billed, () -> "an account is overdrawn beyond its bills without any critical"
                        + " reservation: " + accounts());
            }
            state.accounts.forEach((id, a) -> {
                long below = Math.max(0, -(a.balance - a.reserved));
                long allowed = (overdraftable.contains(id) ? state.overdraftLimit : 0)
                        + billedOverdrafts.getOrDefault(id, 0L);
                check(below <= allowed, () -> "account " + id + " is overdrawn by " + below + ", more than the "
                        + allowed + " its critical last legs and bills beyond holds allow: " + accounts());
            });
        }

        /**
         * 1b: a budget's charged plus reserved spend in its window stays within its limit. Only a redefinition
         * that lowers the limit below what is already spent may leave it above; after that the spend must not grow.
         */
        private void checkBudgetLimits(LedgerSnapshot before, Map<String, Integer> generationsBefore) {
            Map<String, LedgerSnapshot.BudgetWindow> previous = before.budgets().stream()
                    .collect(Collectors.toMap(LedgerSnapshot.BudgetWindow::budgetId, b -> b));
            boolean redefinition = command instanceof DefineBudgetCommand
                    && decision.reply() instanceof CommandAcceptedReply;
            for (LedgerSnapshot.BudgetWindow b : state.snapshot().budgets()) {
                long spent = b.chargedCredits() + b.reservedCredits();
                // A bill beyond its hold is charged anyway: its overdraft is the one way spend may pass the limit.
                long overdrawn = stepOverdrafts.getOrDefault(b.budgetId(), 0L);
                if (spent <= b.limitCredits() + overdrawn) {
                    continue;
                }
                if (redefinition && ((DefineBudgetCommand) command).budgetId().equals(b.budgetId())) {
                    continue;
                }
                LedgerSnapshot.BudgetWindow was = previous.get(b.budgetId());
                boolean sameWindow = was != null && was.windowStart().equals(b.windowStart())
                        && was.period() == b.period()
                        && Objects.equals(generationsBefore.get(b.budgetId()), generation.get(b.budgetId()));
                long spentBefore = was == null ? 0 : was.chargedCredits() + was.reservedCredits();
                check(sameWindow && spent <= spentBefore + overdrawn, () -> "budget " + b.budgetId() + " spends " + spent
                        + " of its limit " + b.limitCredits() + " in the window from " + b.windowStart()
                        + " (before this step: " + was + ")");
            }
        }

        /** 1c: an account's reserved credits are exactly the legs of its open reservations. */
        private void checkAccountReservations() {
            Map<String, Long> legs = new HashMap<>();
            state.reservations.values().forEach(r -> r.legs()
                    .forEach(l -> legs.merge(l.accountId(), l.credits(), Long::sum)));
            state.accounts.forEach((id, a) -> {
                long expected = legs.getOrDefault(id, 0L);
                check(a.reserved == expected && a.reserved >= 0, () -> "account " + id + " has " + a.reserved
                        + " reserved, but its open reservations hold " + expected);
            });
        }

        /** 1e: credits come in by purchases, refunds and adjustments and leave only as charged usage. */
        private void checkConservation() {
            long balances = state.accounts.values().stream().mapToLong(a -> a.balance).sum();
            long expected = purchased + refunded + adjusted - charged;
            check(balances == expected, () -> "balances sum to " + balances + ", but purchases " + purchased
                    + " + refunds " + refunded + " + adjustments " + adjusted + " - charges " + charged + " = "
                    + expected);
        }

        /**
         * Property 3: a budget's reserved credits are backed by open holds. They include every open hold made under
         * the budget's present definition in its current window, and never exceed what open reservations hold on
         * the budget at all, so they cannot go negative nor stay behind after the holds are gone.
         */
        private void checkBudgetHolds() {
            state.budgets.forEach((id, b) -> {
                int gen = generation.getOrDefault(id, 0);
                long current = 0;
                long all = 0;
                for (Reservation r : state.reservations.values()) {
                    for (BudgetHold h : r.budgets()) {
                        if (!h.budgetId().equals(id)) {
                            continue;
                        }
                        all += r.credits();
                        if (h.windowStart().equals(b.windowStart)
                                && Objects.equals(holdGenerations.getOrDefault(r.id(), Map.of()).get(id), gen)) {
                            current += r.credits();
                        }
                    }
                }
                long inWindow = current;
                long onBudget = all;
                check(inWindow <= b.reserved && b.reserved <= onBudget, () -> "budget " + id + " (" + b.period
                        + ", window from " + b.windowStart + ", limit " + b.limit + ") has " + b.reserved
                        + " reserved, but open reservations hold " + inWindow + " on it in this window under its"
                        + " present definition and " + onBudget + " on it in all; open reservations "
                        + state.reservations.values());
            });
        }

        /** 1f: folding the recorded events again, through their JSON form and in resumed batches, gives this state. */
        void checkReplayEqualsProjection() {
            stepIndex = -1;
            command = null;
            decision = null;
            Object live = canonical(state);
            LedgerState replayed = LedgerState.replay(events);
            check(replayed.snapshot().equals(state.snapshot()) && canonical(replayed).equals(live),
                    () -> "replay differs from the live state:\n replay " + canonical(replayed) + "\n live   " + live);

            List<LedgerEvent> stored = events.stream().map(Run::roundTrip).toList();
            check(stored.equals(events), () -> "events change through JSON: " + stored);
            LedgerState projection = new LedgerState();
            int batch = 1 + (int) (scenario.overdraftLimit() % 7);
            for (int i = 0; i < stored.size(); i++) {
                if (i % batch == 0) {
                    // The projection resumes from its stored JSON state between batches.
                    projection = LedgerStateJson.read(LedgerStateJson.write(projection));
                }
                projection.apply(stored.get(i));
            }
            LedgerState projected = projection;
            check(projected.snapshot().equals(state.snapshot()) && canonical(projected).equals(live),
                    () -> "the resumed projection differs from the live state:\n projection " + canonical(projected)
                            + "\n live       " + live);
            checkChangedRowsKeepTheProjection(stored, batch);
        }

        /**
         * 1g: the balances projection writes only the rows each batch's events changed; rows kept that way equal the
         * live state's picture, so no event changes a row without saying so.
         */
        private void checkChangedRowsKeepTheProjection(List<LedgerEvent> stored, int batch) {
            LedgerState folding = new LedgerState();
            folding.takeChanges();
            Map<String, Object> accounts = new TreeMap<>();
            Map<String, Object> reservations = new TreeMap<>();
            Map<String, Object> budgets = new TreeMap<>();
            for (int i = 0; i < stored.size(); i++) {
                folding.apply(stored.get(i));
                if ((i + 1) % batch == 0 || i == stored.size() - 1) {
                    LedgerChanges changes = folding.takeChanges();
                    LedgerState at = folding;
                    changes.accounts().forEach(id -> put(accounts, id, at.accountRow(id)));
                    changes.reservations().forEach(id -> put(reservations, id, at.reservationRow(id)));
                    changes.budgets().forEach(id -> put(budgets, id, at.budgetRow(id)));
                }
            }
            LedgerSnapshot live = state.snapshot();
            List<Object> rows = List.of(List.copyOf(accounts.values()), List.copyOf(reservations.values()),
                    List.copyOf(budgets.values()));
            List<Object> expected = List.of(live.accounts(), live.reservations(), live.budgets());
            check(rows.equals(expected), () -> "rows written from the changes differ from the live state:\n rows "
                    + rows + "\n live " + expected);
        }

        private static void put(Map<String, Object> rows, String id, java.util.Optional<?> row) {
            row.ifPresentOrElse(r -> rows.put(id, r), () -> rows.remove(id));
        }

        void collectStatistics() {
            Statistics.label("critical overdraft used").collect(everOverdrawn);
            Statistics.label("charges beyond their hold").collect(overdrafts > 0);
            Statistics.label("lease renewals").collect(renewals > 0);
            Statistics.label("budget refused a reservation").collect(budgetRefused);
            Statistics.label("a reservation rolled a budget window").collect(windowRolled);
            Statistics.label("steps").collect(bucket(scenario.steps().size()));
            Statistics.label("reservations accepted").collect(bucket(reservationsAccepted));
            Statistics.label("usage on budgeted reservations").collect(bucket(usagesOnBudgets));
            Statistics.label("lease charges").collect(bucket(leaseCharges));
            Statistics.label("leases charged dry").collect(bucket(leasesChargedDry));
            Statistics.label("late charges of expired leases").collect(bucket(lateCharges));
            Statistics.label("threshold alerts").collect(bucket(thresholdAlerts));
        }

        private static String bucket(int n) {
            return n == 0 ? "0" : n < 4 ? "1-3" : n < 10 ? "4-9" : "10+";
        }

        private static Map<String, Long> limits(LedgerSnapshot snapshot) {
            Map<String, Long> limits = new LinkedHashMap<>();
            snapshot.budgets().forEach(b -> limits.put(b.budgetId(), b.limitCredits()));
            return limits;
        }

        private String accounts() {
            return state.snapshot().accounts().toString();
        }

        private void check(boolean condition, Supplier<String> message) {
            if (!condition) {
                String where = stepIndex < 0 ? "after the last step" : "at step " + stepIndex + " " + command
                        + "\n  decided " + (decision == null ? "-" : decision.reply() + " " + decision.events());
                throw new AssertionError(message.get() + "\n  " + where + "\n  overdraft limit "
                        + scenario.overdraftLimit() + ", state " + state.snapshot() + "\n  trace:\n    "
                        + trace.stream().map(Executed::toString).collect(Collectors.joining("\n    ")));
            }
        }

        private static String json(LedgerState state) {
            return new String(LedgerStateJson.write(state), StandardCharsets.UTF_8);
        }

        /**
         * The whole state, every field, as plain maps and lists from its JSON form, with sets (arrays of plain
         * values) sorted: hash-set order says nothing about the ledger.
         */
        private static Object canonical(LedgerState state) {
            return canonicalValue(TallyJson.read(LedgerStateJson.write(state), Object.class));
        }

        private static Object canonicalValue(Object value) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(String.valueOf(k), canonicalValue(v)));
                return sorted;
            }
            if (value instanceof List<?> list) {
                List<Object> items = list.stream().map(Run::canonicalValue).collect(Collectors.toList());
                if (items.stream().noneMatch(i -> i instanceof Map || i instanceof List)) {
                    items.sort(Comparator.comparing(String::valueOf));
                }
                return items;
            }
            return value;
        }

        private static LedgerEvent roundTrip(LedgerEvent event) {
            return TallyJson.read(TallyJson.write(event), event.getClass());
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V> orderedMap(Object... keysAndValues) {
        Map<K, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((K) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }
}

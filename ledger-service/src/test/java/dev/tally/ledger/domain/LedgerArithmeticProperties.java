package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.ledger.UsageRecordedEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No rule wraps a long. Commands carry amounts near {@link Long#MAX_VALUE} (balances, reservations, charges, budget
 * limits, overdraft limits); after each accepted command every account's balance and hold and every budget's spend
 * must equal the same sums done in {@link BigInteger} over the events so far. A command whose sums would not fit
 * must be refused, never applied with a wrapped result.
 */
class LedgerArithmeticProperties {

    private static final String LEDGER = "ledger-big";
    private static final String ORG = "org";
    private static final String MEMBER = "m1";
    private static final String BUDGET = "b1";
    private static final Scope MEMBER_SCOPE = new Scope(ScopeLevel.MEMBER, MEMBER);
    private static final List<String> ACCOUNTS = List.of(ORG, MEMBER);
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    @Property(tries = 500)
    void no_operation_wraps_every_one_is_applied_exactly_or_refused(
            @ForAll("overdraftLimits") long overdraftLimit, @ForAll("budgetLimits") long budgetLimit,
            @ForAll("steps") List<Step> steps) {
        LedgerState state = new LedgerState();
        Model model = new Model();
        List<LedgerCommand> setup = List.of(
                new OpenLedgerCommand("open", LEDGER, ORG, overdraftLimit, "test"),
                new OpenAccountCommand("open-m1", LEDGER, MEMBER, AccountKind.MEMBER, "test"),
                new DefineBudgetCommand("define-b1", LEDGER, BUDGET, MEMBER_SCOPE, BudgetPeriod.TOTAL, budgetLimit,
                        List.of(50, 100), false, "test"));
        int index = 0;
        for (LedgerCommand command : setup) {
            run(state, model, command, index++);
        }
        for (Step step : steps) {
            run(state, model, step.command(index, state), index++);
        }
    }

    private static void run(LedgerState state, Model model, LedgerCommand command, int index) {
        Decision decision = LedgerRules.decide(state, command, NOW.plusSeconds(index));
        if (decision.reply() instanceof CommandAcceptedReply) {
            for (LedgerEvent event : decision.events()) {
                state.apply(event);
                model.apply(event);
            }
        }
        model.check(state, command);
    }

    // ---------------------------------------------------------------------------------------------------- inputs

    /** Small, ordinary, and within a few credits of the largest long, or of half of it (two of those overflow). */
    private static Arbitrary<Long> amounts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 1_000)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(Long.MAX_VALUE - 1_000, Long.MAX_VALUE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(Long.MAX_VALUE / 2 - 500, Long.MAX_VALUE / 2 + 500)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, Long.MAX_VALUE)));
    }

    @Provide
    Arbitrary<Long> overdraftLimits() {
        return Arbitraries.oneOf(Arbitraries.just(0L), amounts());
    }

    @Provide
    Arbitrary<Long> budgetLimits() {
        return amounts();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> account = Arbitraries.of(ACCOUNTS);
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, 3);
        Arbitrary<Step> purchase = Combinators.combine(account, amounts())
                .as((to, credits) -> (i, s) -> new PurchaseCreditsCommand("c" + i, LEDGER, to, credits, "t", null));
        Arbitrary<Step> transfer = Combinators.combine(account, amounts())
                .as((from, credits) -> (i, s) -> new TransferCreditsCommand("c" + i, LEDGER, from,
                        from.equals(ORG) ? MEMBER : ORG, credits, "t", "move"));
        Arbitrary<Step> reserve = Combinators.combine(slot, amounts(), Arbitraries.of(Priority.values()),
                        Arbitraries.oneOf(Arbitraries.just(0L), amounts()))
                .as((n, credits, priority, minimum) -> (i, s) -> new ReserveCreditCommand("c" + i, LEDGER, "r" + n,
                        List.of(MEMBER_SCOPE), List.of(MEMBER, ORG), credits, priority, 60, minimum));
        Arbitrary<Step> usage = Combinators.combine(slot, amounts())
                .as((n, actual) -> (i, s) -> new RecordUsageCommand("c" + i, LEDGER, "r" + n, actual, 1, 1, "m", "p"));
        Arbitrary<Step> lease = Combinators.combine(slot, amounts(), amounts(), amounts())
                .as((n, held, actual, second) -> (i, s) -> new ChargeLeaseCommand("c" + i, LEDGER, "r" + n,
                        List.of(new LeaseCharge("q" + i + "a", held, actual, 1, 1, "m", "p"),
                                new LeaseCharge("q" + i + "b", held, second, 1, 1, "m", "p"))));
        Arbitrary<Step> release = slot.map(n -> (i, s) -> new ReleaseReservationCommand("c" + i, LEDGER, "r" + n, "x"));
        Arbitrary<Step> adjust = Combinators.combine(account, amounts(), Arbitraries.of(true, false))
                .as((to, credits, negative) -> (i, s) -> new AdjustBalanceCommand("c" + i, LEDGER, to,
                        negative ? -credits : credits, "t", "fix"));
        Arbitrary<Step> minimalAdjust = account.map(to -> (i, s) -> new AdjustBalanceCommand("c" + i, LEDGER, to,
                Long.MIN_VALUE, "t", "fix"));
        Arbitrary<Step> refund = Combinators.combine(account, amounts())
                .as((to, credits) -> (i, s) -> new RefundCreditsCommand("c" + i, LEDGER, to, credits, null, "t", "r"));
        Arbitrary<Step> redefine = amounts().map(limit -> (i, s) -> new DefineBudgetCommand("c" + i, LEDGER, BUDGET,
                MEMBER_SCOPE, BudgetPeriod.TOTAL, limit, List.of(1, 50, 99, 100), false, "t"));
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, purchase), net.jqwik.api.Tuple.of(2, transfer),
                net.jqwik.api.Tuple.of(4, reserve), net.jqwik.api.Tuple.of(3, usage),
                net.jqwik.api.Tuple.of(3, lease), net.jqwik.api.Tuple.of(1, release),
                net.jqwik.api.Tuple.of(3, adjust), net.jqwik.api.Tuple.of(1, minimalAdjust),
                net.jqwik.api.Tuple.of(2, refund), net.jqwik.api.Tuple.of(1, redefine));
        return step.list().ofMinSize(1).ofMaxSize(25);
    }

    /** A command made at its step, from the state of the moment. */
    interface Step {
        LedgerCommand command(int index, LedgerState state);
    }

    // ----------------------------------------------------------------------------------------------------- model

    /** The same sums as {@link LedgerState#apply}, in BigInteger, where nothing can wrap. */
    private static final class Model {

        private final Map<String, BigInteger> balance = new HashMap<>();
        private final Map<String, BigInteger> reserved = new HashMap<>();
        private final Map<String, List<Leg>> legs = new HashMap<>();
        private final Map<String, BigInteger> holdOnBudget = new HashMap<>();
        private BigInteger budgetCharged = BigInteger.ZERO;
        private BigInteger budgetReserved = BigInteger.ZERO;

        void apply(LedgerEvent event) {
            if (event instanceof CreditsPurchasedEvent e) {
                add(balance, e.accountId(), e.credits());
            } else if (event instanceof CreditsTransferredEvent e) {
                add(balance, e.fromAccountId(), -e.credits());
                add(balance, e.toAccountId(), e.credits());
            } else if (event instanceof BalanceAdjustedEvent e) {
                add(balance, e.accountId(), e.deltaCredits());
            } else if (event instanceof CreditsRefundedEvent e) {
                add(balance, e.accountId(), e.credits());
            } else if (event instanceof CreditReservedEvent e) {
                e.legs().forEach(leg -> add(reserved, leg.accountId(), leg.credits()));
                legs.put(e.reservationId(), new ArrayList<>(e.legs()));
                if (e.budgets().stream().map(BudgetHold::budgetId).anyMatch(BUDGET::equals)) {
                    holdOnBudget.put(e.reservationId(), BigInteger.valueOf(e.credits()));
                    budgetReserved = budgetReserved.add(BigInteger.valueOf(e.credits()));
                }
            } else if (event instanceof UsageRecordedEvent e) {
                legs.remove(e.reservationId()).forEach(leg -> add(reserved, leg.accountId(), -leg.credits()));
                e.charges().forEach(leg -> add(balance, leg.accountId(), -leg.credits()));
                overdraft(e.overdraftAccountId(), e.overdraftCredits());
                BigInteger hold = holdOnBudget.remove(e.reservationId());
                if (hold != null) {
                    budgetReserved = budgetReserved.subtract(hold);
                    budgetCharged = budgetCharged.add(BigInteger.valueOf(e.chargedCredits()));
                }
            } else if (event instanceof LeaseChargedEvent e) {
                List<Leg> left = legs.get(e.reservationId());
                for (Leg charge : e.charges()) {
                    add(reserved, charge.accountId(), -charge.credits());
                    add(balance, charge.accountId(), -charge.credits());
                    for (int i = 0; i < left.size(); i++) {
                        if (left.get(i).accountId().equals(charge.accountId())) {
                            left.set(i, new Leg(charge.accountId(), left.get(i).credits() - charge.credits()));
                        }
                    }
                }
                overdraft(e.overdraftAccountId(), e.overdraftCredits());
                BigInteger hold = holdOnBudget.get(e.reservationId());
                if (hold != null) {
                    BigInteger held = BigInteger.valueOf(e.charges().stream().mapToLong(Leg::credits).sum());
                    holdOnBudget.put(e.reservationId(), hold.subtract(held));
                    budgetReserved = budgetReserved.subtract(held);
                    budgetCharged = budgetCharged.add(BigInteger.valueOf(e.chargedCredits()));
                }
            } else if (event instanceof ReservationReleasedEvent e) {
                legs.remove(e.reservationId()).forEach(leg -> add(reserved, leg.accountId(), -leg.credits()));
                BigInteger hold = holdOnBudget.remove(e.reservationId());
                if (hold != null) {
                    budgetReserved = budgetReserved.subtract(hold);
                }
            }
        }

        void check(LedgerState state, LedgerCommand after) {
            for (String account : state.accounts.keySet()) {
                Account a = state.accounts.get(account);
                assertThat(BigInteger.valueOf(a.balance)).as("balance of %s after %s", account, after)
                        .isEqualTo(balance.getOrDefault(account, BigInteger.ZERO));
                assertThat(BigInteger.valueOf(a.reserved)).as("reserved of %s after %s", account, after)
                        .isEqualTo(reserved.getOrDefault(account, BigInteger.ZERO));
            }
            Budget budget = state.budgets.get(BUDGET);
            if (budget != null) {
                assertThat(BigInteger.valueOf(budget.charged)).as("budget charged after %s", after)
                        .isEqualTo(budgetCharged);
                assertThat(BigInteger.valueOf(budget.reserved)).as("budget reserved after %s", after)
                        .isEqualTo(budgetReserved);
            }
        }

        private void overdraft(String accountId, Long credits) {
            if (credits != null && credits > 0) {
                add(balance, accountId, -credits);
            }
        }

        private static void add(Map<String, BigInteger> sums, String account, long credits) {
            sums.merge(account, BigInteger.valueOf(credits), BigInteger::add);
        }
    }
}

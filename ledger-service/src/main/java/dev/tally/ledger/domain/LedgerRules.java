package dev.tally.ledger.domain;

import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.TransferCreditsCommand;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_ACCOUNT;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_LEDGER;

/**
 * Decides what each command does to a ledger, through the rules of its family ({@link AccountRules},
 * {@link BudgetRules}, {@link ReservationRules}, {@link LeaseRules}); what they share is here. Pure: the state is
 * only read, time comes in as {@code now}, and the result is the events to apply plus the caller's reply. The
 * invariants: an account's available balance never drops below zero except by overdrafts (critical reservations
 * within the ledger's overdraft limit, and bills beyond their hold), and a budget's charged plus reserved spend in
 * its window never exceeds its limit except by bills beyond their hold.
 */
public final class LedgerRules {

    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 75, 90, 100);
    /** A hold longer than a week is a bug in the caller, not a request. */
    public static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    private LedgerRules() {
    }

    public static Decision decide(LedgerState state, LedgerCommand command, Instant now) {
        try {
            if (!state.isOpen() && !(command instanceof OpenLedgerCommand)) {
                return Decision.invalid(command, UNKNOWN_LEDGER, "no ledger " + command.ledgerId());
            }
            return command.accept(new Decider(state, now));
        } catch (ArithmeticException e) {
            // Every sum the rules form is exact (Math.addExact and friends): one that would pass a long is refused.
            return Decision.invalid(command, INVALID_AMOUNT, overflow());
        }
    }

    /**
     * Decides a settlement lease by lease, each part seeing the state the parts before it left: see
     * {@link LeaseRules#settle}.
     */
    public static LedgerReply settle(LedgerState state, SettleLeasesCommand c, Instant now,
            Consumer<LedgerEvent> apply) {
        return LeaseRules.settle(state, c, now, apply);
    }

    static String overflow() {
        return "the amounts would pass the most a ledger can count (" + Long.MAX_VALUE + " credits)";
    }

    /**
     * Each command to the rules of its family. A visitor, so that a command added to {@code LedgerCommand} does not
     * compile until it is decided here (Java 17 has no exhaustive pattern switch).
     */
    private record Decider(LedgerState state, Instant now) implements LedgerCommand.Visitor<Decision> {

        public Decision openLedger(OpenLedgerCommand c) {
            return AccountRules.openLedger(state, c, now);
        }

        public Decision openAccount(OpenAccountCommand c) {
            return AccountRules.openAccount(state, c, now);
        }

        public Decision purchaseCredits(PurchaseCreditsCommand c) {
            return AccountRules.purchase(state, c, now);
        }

        public Decision transferCredits(TransferCreditsCommand c) {
            return AccountRules.transfer(state, c, now);
        }

        public Decision adjustBalance(AdjustBalanceCommand c) {
            return AccountRules.adjust(state, c, now);
        }

        public Decision refundCredits(RefundCreditsCommand c) {
            return AccountRules.refund(state, c, now);
        }

        public Decision defineBudget(DefineBudgetCommand c) {
            return BudgetRules.defineBudget(state, c, now);
        }

        public Decision removeBudget(RemoveBudgetCommand c) {
            return BudgetRules.removeBudget(state, c, now);
        }

        public Decision reserveCredit(ReserveCreditCommand c) {
            return ReservationRules.reserve(state, c, now);
        }

        public Decision recordUsage(RecordUsageCommand c) {
            return ReservationRules.recordUsage(state, c, now);
        }

        public Decision releaseReservation(ReleaseReservationCommand c) {
            return ReservationRules.release(state, c, now);
        }

        public Decision expireReservation(ExpireReservationCommand c) {
            return ReservationRules.expire(state, c, now);
        }

        public Decision chargeLease(ChargeLeaseCommand c) {
            return LeaseRules.chargeLease(state, c, now);
        }

        public Decision settleLeases(SettleLeasesCommand c) {
            throw new IllegalArgumentException("SettleLeases is decided lease by lease: LedgerRules.settle");
        }
    }

    /**
     * Threshold crossings and exhaustion, once per threshold per window, measured on charged spend. {@code charged} is
     * all that the command charged, so a lease command with many requests alerts once, like one usage of that total.
     * {@code holdingId} is the hold the charge came from, or null for a late charge that no hold covers any more.
     */
    static List<LedgerEvent> alertsAfterCharge(LedgerState state, LedgerCommand c, List<BudgetHold> holds,
            String holdingId, long charged, Instant now) {
        List<LedgerEvent> alerts = new ArrayList<>();
        for (BudgetHold hold : holds) {
            Budget budget = state.budgets.get(hold.budgetId());
            if (budget == null) {
                continue;
            }
            // The window the budget is in now: a hold made before a period change carries the old window's date.
            LocalDate window = budget.period.windowStart(now);
            boolean current = budget.isCurrent(window);
            // A held charge counts only where its hold counts; a late one (no hold left) in the window it lands in.
            if (holdingId != null && (!current || !budget.holding.contains(holdingId))) {
                continue;
            }
            long spent = Math.addExact(current ? budget.charged : 0, charged);
            for (int threshold : budget.thresholds) {
                boolean crossedBefore = current && budget.crossed.contains(threshold);
                if (!crossedBefore && spent >= thresholdCredits(threshold, budget.limit)) {
                    alerts.add(new BudgetThresholdCrossedEvent(c.ledgerId(), c.commandId(), now, hold.budgetId(),
                            budget.scope, budget.period, window, threshold, spent, budget.limit));
                }
            }
            if (!(current && budget.exhausted) && spent >= budget.limit) {
                alerts.add(new BudgetExhaustedEvent(c.ledgerId(), c.commandId(), now, hold.budgetId(), budget.scope,
                        budget.period, window, spent, budget.limit, budget.autoDisable));
            }
        }
        return alerts;
    }

    /**
     * The charged spend at which {@code threshold} percent of {@code limit} is reached, {@code ceil(threshold * limit
     * / 100)}, without forming {@code threshold * limit}, which passes a long for limits above about 9 * 10^16.
     */
    static long thresholdCredits(int threshold, long limit) {
        return threshold * (limit / 100) + (threshold * (limit % 100) + 99) / 100;
    }

    static void budgetsCanCount(LedgerState state, List<BudgetHold> holds, long charged) {
        for (BudgetHold hold : holds) {
            Budget budget = state.budgets.get(hold.budgetId());
            if (budget != null) {
                Math.addExact(Math.addExact(budget.charged, budget.reserved), charged);
            }
        }
    }

    static List<Map.Entry<String, Budget>> budgetsOn(LedgerState state, List<Scope> chain) {
        var scopes = new HashSet<>(chain);
        return state.budgets.entrySet().stream().filter(b -> scopes.contains(b.getValue().scope)).toList();
    }

    static Decision requirePositive(LedgerCommand c, long amount, String field) {
        return amount > 0 ? null : Decision.invalid(c, INVALID_AMOUNT, field + " must be positive, was " + amount);
    }

    static Decision requireAccount(LedgerState state, LedgerCommand c, String accountId) {
        return accountId != null && state.accounts.containsKey(accountId) ? null
                : Decision.invalid(c, UNKNOWN_ACCOUNT, "no account " + accountId + " in ledger " + c.ledgerId());
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

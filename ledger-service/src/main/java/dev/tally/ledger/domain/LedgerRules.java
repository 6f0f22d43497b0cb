package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.ChargeLeaseCommand;
import java.util.function.Consumer;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerOpenedEvent;
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

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.tally.events.ledger.RejectionReason.ACCOUNT_ALREADY_OPEN;
import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.BUDGET_REMOVED;
import static dev.tally.events.ledger.RejectionReason.DUPLICATE_RESERVATION;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.LEDGER_ALREADY_OPEN;
import static dev.tally.events.ledger.RejectionReason.RESERVATION_NOT_DUE;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_ACCOUNT;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_BUDGET;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_LEDGER;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;

/**
 * Decides what each command does to a ledger. Pure: the state is only read, time comes in as {@code now}, and the
 * result is the events to apply plus the caller's reply. The invariants live here:
 * an account's available balance never drops below zero except by overdrafts (critical reservations within the
 * ledger's overdraft limit, and bills beyond their hold), and a budget's charged plus reserved spend in its window
 * never exceeds its limit except by bills beyond their hold.
 */
public final class LedgerRules {

    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 75, 90, 100);
    /** A hold longer than a week is a bug in the caller, not a request. */
    public static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    private LedgerRules() {
    }

    public static Decision decide(LedgerState state, LedgerCommand command, Instant now) {
        try {
            return decideExactly(state, command, now);
        } catch (ArithmeticException e) {
            // Every sum the rules form is exact (Math.addExact and friends): one that would pass a long is refused.
            return Decision.invalid(command, INVALID_AMOUNT, overflow());
        }
    }

    private static String overflow() {
        return "the amounts would pass the most a ledger can count (" + Long.MAX_VALUE + " credits)";
    }

    private static Decision decideExactly(LedgerState state, LedgerCommand command, Instant now) {
        if (!state.isOpen() && !(command instanceof OpenLedgerCommand)) {
            return Decision.invalid(command, UNKNOWN_LEDGER, "no ledger " + command.ledgerId());
        }
        if (command instanceof OpenLedgerCommand c) {
            return openLedger(state, c, now);
        } else if (command instanceof OpenAccountCommand c) {
            return openAccount(state, c, now);
        } else if (command instanceof PurchaseCreditsCommand c) {
            return purchase(state, c, now);
        } else if (command instanceof TransferCreditsCommand c) {
            return transfer(state, c, now);
        } else if (command instanceof DefineBudgetCommand c) {
            return defineBudget(state, c, now);
        } else if (command instanceof RemoveBudgetCommand c) {
            return removeBudget(state, c, now);
        } else if (command instanceof ReserveCreditCommand c) {
            return reserve(state, c, now);
        } else if (command instanceof RecordUsageCommand c) {
            return recordUsage(state, c, now);
        } else if (command instanceof ChargeLeaseCommand c) {
            return chargeLease(state, c, now);
        } else if (command instanceof ReleaseReservationCommand c) {
            return release(state, c, now);
        } else if (command instanceof ExpireReservationCommand c) {
            return expire(state, c, now);
        } else if (command instanceof AdjustBalanceCommand c) {
            return adjust(state, c, now);
        } else if (command instanceof RefundCreditsCommand c) {
            return refund(state, c, now);
        } else if (command instanceof SettleLeasesCommand) {
            throw new IllegalArgumentException("SettleLeases is decided lease by lease: LedgerRules.settle");
        }
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        throw new IllegalArgumentException("unknown ledger command " + command.getClass().getName());
    }

    private static Decision openLedger(LedgerState state, OpenLedgerCommand c, Instant now) {
        if (state.isOpen()) {
            return Decision.invalid(c, LEDGER_ALREADY_OPEN, "ledger " + c.ledgerId() + " is already open");
        }
        if (blank(c.ledgerId()) || blank(c.orgAccountId())) {
            return Decision.invalid(c, INVALID_COMMAND, "ledger_id and org_account_id are required");
        }
        if (c.criticalOverdraftLimit() < 0) {
            return Decision.invalid(c, INVALID_AMOUNT, "critical_overdraft_limit must not be negative");
        }
        return Decision.accept(c, 0, new LedgerOpenedEvent(c.ledgerId(), c.commandId(), now, c.orgAccountId(),
                c.criticalOverdraftLimit(), c.actor()));
    }

    private static Decision openAccount(LedgerState state, OpenAccountCommand c, Instant now) {
        if (blank(c.accountId()) || c.kind() == null) {
            return Decision.invalid(c, INVALID_COMMAND, "account_id and kind are required");
        }
        if (state.accounts.containsKey(c.accountId())) {
            return Decision.invalid(c, ACCOUNT_ALREADY_OPEN, "account " + c.accountId() + " is already open");
        }
        return Decision.accept(c, 0, new AccountOpenedEvent(c.ledgerId(), c.commandId(), now, c.accountId(), c.kind(),
                c.actor()));
    }

    private static Decision purchase(LedgerState state, PurchaseCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.accountId());
        }
        if (invalid != null) {
            return invalid;
        }
        Math.addExact(state.accounts.get(c.accountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsPurchasedEvent(c.ledgerId(), c.commandId(), now,
                c.accountId(), c.credits(), c.actor(), c.reference()));
    }

    private static Decision transfer(LedgerState state, TransferCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.fromAccountId());
        }
        if (invalid == null) {
            invalid = requireAccount(state, c, c.toAccountId());
        }
        if (invalid != null) {
            return invalid;
        }
        if (c.fromAccountId().equals(c.toAccountId())) {
            return Decision.invalid(c, INVALID_COMMAND, "from_account_id and to_account_id must differ");
        }
        long available = state.accounts.get(c.fromAccountId()).available();
        if (available < c.credits()) {
            String detail = "account " + c.fromAccountId() + " has " + available + " credits available, "
                    + c.credits() + " requested";
            return Decision.refuse(c, INSUFFICIENT_CREDITS, detail, null, new TransferRefusedEvent(c.ledgerId(),
                    c.commandId(), now, c.fromAccountId(), c.toAccountId(), c.credits(), INSUFFICIENT_CREDITS, detail));
        }
        Math.addExact(state.accounts.get(c.toAccountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsTransferredEvent(c.ledgerId(), c.commandId(), now,
                c.fromAccountId(), c.toAccountId(), c.credits(), c.actor(), c.reason()));
    }

    private static Decision defineBudget(LedgerState state, DefineBudgetCommand c, Instant now) {
        if (blank(c.budgetId()) || c.scope() == null || c.scope().level() == null || blank(c.scope().id())
                || c.period() == null) {
            return Decision.invalid(c, INVALID_COMMAND, "budget_id, scope (level and id) and period are required");
        }
        Decision invalid = requirePositive(c, c.limitCredits(), "limit_credits");
        if (invalid != null) {
            return invalid;
        }
        if (state.wasRemoved(c.budgetId())) {
            // A definition resent after its removal overtook it: governance deleted this budget, so it stays deleted.
            return Decision.invalid(c, BUDGET_REMOVED, "budget " + c.budgetId() + " was removed from ledger "
                    + c.ledgerId() + "; a removed budget's id cannot be defined again");
        }
        if (c.thresholdsPercent() != null && c.thresholdsPercent().stream().anyMatch(t -> t == null || t < 1 || t > 100)) {
            return Decision.invalid(c, INVALID_COMMAND, "thresholds_percent must lie between 1 and 100");
        }
        List<Integer> thresholds = c.thresholdsPercent() == null || c.thresholdsPercent().isEmpty()
                ? DEFAULT_THRESHOLDS
                : c.thresholdsPercent().stream().distinct().sorted().toList();
        return Decision.accept(c, c.limitCredits(), new BudgetDefinedEvent(c.ledgerId(), c.commandId(), now,
                c.budgetId(), c.scope(), c.period(), c.limitCredits(), thresholds, c.autoDisable(), c.actor()));
    }

    private static Decision removeBudget(LedgerState state, RemoveBudgetCommand c, Instant now) {
        if (blank(c.budgetId()) || state.wasRemoved(c.budgetId())) {
            return Decision.invalid(c, UNKNOWN_BUDGET, "no budget " + c.budgetId() + " in ledger " + c.ledgerId());
        }
        // A removal of a budget not defined (yet) is recorded too, as a tombstone: its definition may still be on the
        // way, and must not take effect when it arrives.
        return Decision.accept(c, 0, new BudgetRemovedEvent(c.ledgerId(), c.commandId(), now, c.budgetId(),
                c.actor()));
    }

    private static Decision reserve(LedgerState state, ReserveCreditCommand c, Instant now) {
        if (blank(c.reservationId()) || c.accountIds() == null || c.accountIds().isEmpty()
                || c.ttlSeconds() <= 0 || c.ttlSeconds() > MAX_TTL_SECONDS) {
            return Decision.invalid(c, INVALID_COMMAND, "reservation_id, at least one of account_ids and a "
                    + "ttl_seconds between 1 and " + MAX_TTL_SECONDS + " are required");
        }
        Decision invalid = requirePositive(c, c.credits(), "credits");
        for (int i = 0; invalid == null && i < c.accountIds().size(); i++) {
            invalid = requireAccount(state, c, c.accountIds().get(i));
        }
        if (invalid != null) {
            return invalid;
        }
        if (state.reservations.containsKey(c.reservationId())) {
            return Decision.invalid(c, DUPLICATE_RESERVATION, "reservation " + c.reservationId() + " is already open");
        }
        List<Scope> chain = c.scopeChain() == null ? List.of() : c.scopeChain();
        Priority priority = c.priority() == null ? Priority.NORMAL : c.priority();

        // A lease asks for up to credits and at least floorCredits(): it gets what fits, refused only below the floor.
        long floor = c.floorCredits();
        long grant = c.credits();
        List<BudgetHold> holds = new ArrayList<>();
        for (Map.Entry<String, Budget> entry : budgetsOn(state, chain)) {
            Budget budget = entry.getValue();
            long spent = budget.spentAt(now);
            if (Math.addExact(spent, floor) > budget.limit) {
                return budgetExceeded(c, floor, now, chain, entry.getKey(), budget, spent);
            }
            grant = Math.min(grant, budget.limit - spent);
            holds.add(new BudgetHold(entry.getKey(), BudgetWindows.start(budget.period, now)));
        }
        if (grant > floor) {
            grant = Math.max(floor, Math.min(grant, coverable(state, c.accountIds(), priority)));
        }

        List<Leg> legs = drawLegs(state, c.accountIds(), grant, priority);
        if (legs == null) {
            String detail = "accounts " + c.accountIds() + " cannot cover " + floor + " credits";
            long reserved = c.accountIds().stream().distinct().mapToLong(id -> state.accounts.get(id).reserved)
                    .sum();
            return Decision.refuse(c, INSUFFICIENT_CREDITS, detail, null, reserved,
                    new CreditReservationRejectedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), floor,
                            chain, INSUFFICIENT_CREDITS, null, detail));
        }
        return Decision.accept(c, grant, new CreditReservedEvent(c.ledgerId(), c.commandId(), now,
                c.reservationId(), grant, legs, List.copyOf(holds), chain, priority,
                now.plusSeconds(c.ttlSeconds())));
    }

    /** The most the accounts can hold together: what each has available, plus the overdraft room if critical. */
    private static long coverable(LedgerState state, List<String> accountIds, Priority priority) {
        // Saturating: what cannot be counted cannot be granted either, and the grant is capped by the request anyway.
        long total = 0;
        for (String accountId : accountIds.stream().distinct().toList()) {
            total = saturatedAdd(total, Math.max(0, state.accounts.get(accountId).available()));
        }
        if (priority == Priority.CRITICAL) {
            total = saturatedAdd(total, Math.max(0, state.overdraftLimit - state.totalOverdraft()));
        }
        return total;
    }

    private static Decision budgetExceeded(ReserveCreditCommand c, long requested, Instant now, List<Scope> chain,
            String budgetId, Budget budget, long spent) {
        String detail = "budget " + budgetId + " (" + budget.period + " on " + budget.scope.level() + " "
                + budget.scope.id() + ") has " + Math.max(0, budget.limit - spent) + " of " + budget.limit
                + " credits left, " + requested + " requested";
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new CreditReservationRejectedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(),
                requested, chain, BUDGET_EXCEEDED, budgetId, detail));
        boolean newWindow = !budget.isCurrent(BudgetWindows.start(budget.period, now));
        if (newWindow || !budget.exhausted) {
            events.add(new BudgetExhaustedEvent(c.ledgerId(), c.commandId(), now, budgetId, budget.scope,
                    budget.period, BudgetWindows.start(budget.period, now), spent, budget.limit, budget.autoDisable));
        }
        long reserved = budget.isCurrent(BudgetWindows.start(budget.period, now)) ? budget.reserved : 0;
        return Decision.refuse(c, BUDGET_EXCEEDED, detail, budgetId, reserved, events.toArray(LedgerEvent[]::new));
    }

    /**
     * Takes what each account has available, in order. A critical reservation may put the shortfall on the last
     * account, as long as the whole ledger stays within its overdraft limit. Null when the accounts cannot cover it.
     */
    private static List<Leg> drawLegs(LedgerState state, List<String> accountIds, long credits, Priority priority) {
        List<String> distinct = accountIds.stream().distinct().toList();
        long[] take = new long[distinct.size()];
        long remaining = credits;
        for (int i = 0; i < distinct.size() && remaining > 0; i++) {
            take[i] = Math.min(Math.max(0, state.accounts.get(distinct.get(i)).available()), remaining);
            remaining -= take[i];
        }
        if (remaining > 0) {
            long headroom = state.overdraftLimit - state.totalOverdraft();
            if (priority != Priority.CRITICAL || remaining > headroom) {
                return null;
            }
            take[distinct.size() - 1] = Math.addExact(take[distinct.size() - 1], remaining);
        }
        for (int i = 0; i < distinct.size(); i++) {
            state.accounts.get(distinct.get(i)).withHold(take[i]);
        }
        List<Leg> legs = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (take[i] > 0) {
                legs.add(new Leg(distinct.get(i), take[i]));
            }
        }
        return List.copyOf(legs);
    }

    private static Decision recordUsage(LedgerState state, RecordUsageCommand c, Instant now) {
        Reservation reservation = state.reservations.get(c.reservationId());
        if (reservation == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION,
                    "reservation " + c.reservationId() + " is not open: never made, already settled, released or expired");
        }
        if (c.actualCredits() < 0 || c.tokensIn() < 0 || c.tokensOut() < 0) {
            return Decision.invalid(c, INVALID_AMOUNT, "actual_credits and token counts must not be negative");
        }
        long held = Math.min(c.actualCredits(), reservation.credits());
        Overdraft overdraft = Overdraft.of(reservation, c.actualCredits() - held);
        long charged = held + overdraft.credits;
        List<Leg> parts = reservation.take(held);
        requireChargeable(state, reservation, parts, overdraft, charged);
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new UsageRecordedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), reservation.credits(),
                c.actualCredits(), charged, overdraft.uncollected, reservation.credits() - held, parts,
                reservation.scopeChain(), c.tokensIn(), c.tokensOut(), c.model(), c.provider(), overdraft.credits,
                overdraft.accountId));
        if (overdraft.credits > 0) {
            // The reservation ends: its legs on the account are no longer held.
            Account account = state.accounts.get(overdraft.accountId);
            long balance = Math.subtractExact(Math.subtractExact(account.balance, paidBy(parts, overdraft.accountId)),
                    overdraft.credits);
            long reserved = account.reserved - paidBy(reservation.legs(), overdraft.accountId);
            events.add(overdrawn(c, now, reservation, c.reservationId(), overdraft, balance, balance - reserved));
        }
        events.addAll(alertsAfterCharge(state, c, reservation.budgets(), reservation.id(), charged, now));
        return Decision.accept(c, charged, events.toArray(LedgerEvent[]::new));
    }

    /**
     * The part of a charge beyond its hold. It is charged, not forgiven: the hold is an upper bound on what the
     * gateway could count, so an excess arises only from a provider billing beyond it, and forgiving that would let a
     * key spend what it was never given. It goes to the account the reservation drew from first (the member's own,
     * as the gateway orders them), outside the availability and budget checks a hold passes, so that account may go
     * below zero and its budgets beyond their limits; both are recorded and alerted.
     */
    private record Overdraft(long credits, String accountId, long uncollected) {

        static Overdraft of(Reservation reservation, long excess) {
            if (excess <= 0) {
                return new Overdraft(0, null, 0);
            }
            String accountId = reservation.overdraftAccountId();
            // Only a lease charged dry in a state saved before overdrafts has no account left to name: forgive, as then.
            return accountId == null ? new Overdraft(0, null, excess) : new Overdraft(excess, accountId, 0);
        }
    }

    private static long paidBy(List<Leg> legs, String accountId) {
        return legs.stream().filter(l -> l.accountId().equals(accountId)).mapToLong(Leg::credits).sum();
    }

    private static CreditOverdrawnEvent overdrawn(LedgerCommand c, Instant now, Reservation reservation,
            String requestId, Overdraft overdraft, long balance, long available) {
        Scope member = reservation.scopeChain().stream().filter(s -> s.level() == ScopeLevel.MEMBER).findFirst()
                .orElse(null);
        return new CreditOverdrawnEvent(c.ledgerId(), c.commandId(), now, reservation.id(), requestId,
                overdraft.accountId, member, overdraft.credits, balance, available);
    }

    /**
     * Charges each request against the lease in turn: what the gateway held for it, as far as the lease still holds
     * it, from the lease's legs; the rest of its actual cost as an {@link Overdraft}. The lease stays open with what
     * is left: its release or expiry gives that back.
     */
    private static Decision chargeLease(LedgerState state, ChargeLeaseCommand c, Instant now) {
        Reservation lease = state.reservations.get(c.reservationId());
        ExpiredLease expired = state.expiredLeases.get(c.reservationId());
        if (lease == null && expired == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION, "lease " + c.reservationId()
                    + " is not open: never made, already settled or released, or expired too long ago");
        }
        Decision invalid = validCharges(c);
        if (invalid != null) {
            return invalid;
        }
        if (lease == null) {
            return LateCharges.charge(state, c, expired, now);
        }
        List<LedgerEvent> events = new ArrayList<>();
        Reservation left = lease;
        long total = 0;
        // What this command's charges took so far, per account: the balance each overdraft alert reports follows them.
        Map<String, Long> paid = new HashMap<>();
        Map<String, Long> unheld = new HashMap<>();
        for (LeaseCharge charge : c.charges()) {
            long held = Math.min(Math.min(charge.actualCredits(), charge.heldCredits()), left.credits());
            Overdraft overdraft = Overdraft.of(left, charge.actualCredits() - held);
            long charged = Math.addExact(held, overdraft.credits);
            List<Leg> parts = left.take(held);
            left = left.less(parts);
            total = Math.addExact(total, charged);
            // A charge of zero is still recorded: the request's tokens belong in the audit trail.
            events.add(new LeaseChargedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), charge.requestId(),
                    charge.actualCredits(), charged, overdraft.uncollected, left.credits(), parts, lease.scopeChain(),
                    charge.tokensIn(), charge.tokensOut(), charge.model(), charge.provider(), overdraft.credits,
                    overdraft.accountId));
            parts.forEach(part -> {
                paid.merge(part.accountId(), part.credits(), Math::addExact);
                unheld.merge(part.accountId(), part.credits(), Math::addExact);
            });
            if (overdraft.credits > 0) {
                paid.merge(overdraft.accountId, overdraft.credits, Math::addExact);
                Account account = state.accounts.get(overdraft.accountId);
                long balance = Math.subtractExact(account.balance, paid.get(overdraft.accountId));
                long reserved = account.reserved - unheld.getOrDefault(overdraft.accountId, 0L);
                events.add(overdrawn(c, now, lease, charge.requestId(), overdraft, balance, balance - reserved));
            }
        }
        for (Map.Entry<String, Long> account : paid.entrySet()) {
            Math.subtractExact(state.accounts.get(account.getKey()).balance, account.getValue());
        }
        budgetsCanCount(state, lease.budgets(), total);
        events.addAll(alertsAfterCharge(state, c, lease.budgets(), lease.id(), total, now));
        return Decision.accept(c, total, events.toArray(LedgerEvent[]::new));
    }

    /**
     * Decides a settlement lease by lease: each lease's charges as a {@link ChargeLeaseCommand}, then its release as a
     * {@link ReleaseReservationCommand}, each part seeing the state the parts before it left ({@code apply} must fold
     * a part's events into {@code state} before this returns to the next one, as Axon's {@code apply} does). Events
     * carry the settlement's command id. The charges of a lease that expired meanwhile are still charged, outside any
     * hold ({@link LateCharges}); its renewal and release are skipped, as is a lease the ledger never knew or forgot.
     * An ill-formed settlement is refused whole, before anything is applied.
     */
    public static LedgerReply settle(LedgerState state, SettleLeasesCommand c, Instant now,
            Consumer<LedgerEvent> apply) {
        if (!state.isOpen()) {
            return Decision.invalid(c, UNKNOWN_LEDGER, "no ledger " + c.ledgerId()).reply();
        }
        Decision invalid = validSettlement(c);
        if (invalid != null) {
            return invalid.reply();
        }
        long charged = 0;
        String outcome = null;
        for (LeaseSettlement lease : c.leases()) {
            if (lease.renews()) {
                LedgerEvent renewed = renewal(state, c, lease, now);
                if (renewed != null) {
                    apply.accept(renewed);
                    outcome = outcome == null ? LedgerMessageTypes.nameOf(renewed) : outcome;
                }
            }
            if (!lease.charges().isEmpty()) {
                CommandAcceptedReply charge = applied(exactly(c, () -> chargeLease(state, new ChargeLeaseCommand(
                        c.commandId(), c.ledgerId(), lease.reservationId(), lease.charges()), now)), apply);
                if (charge != null) {
                    charged = saturatedAdd(charged, charge.credits());
                    outcome = outcome == null ? charge.outcome() : outcome;
                }
            }
            if (lease.release()) {
                CommandAcceptedReply released = applied(release(state, new ReleaseReservationCommand(c.commandId(),
                        c.ledgerId(), lease.reservationId(), lease.reason()), now), apply);
                outcome = outcome == null && released != null ? released.outcome() : outcome;
            }
        }
        // "Nothing": every lease named had ended before its settlement arrived, and none of them had charges to take.
        return new CommandAcceptedReply(c.commandId(), c.ledgerId(), outcome == null ? "Nothing" : outcome,
                charged);
    }

    /**
     * A lease's new expiry: now plus the renewal, never earlier than it already was, so a long request keeps its lease
     * and a late or repeated renewal cannot shorten it. Null when the lease is not open (it ended; skipped like its
     * other parts) or would not expire any later.
     */
    private static ReservationRenewedEvent renewal(LedgerState state, SettleLeasesCommand c, LeaseSettlement lease,
            Instant now) {
        Reservation reservation = state.reservations.get(lease.reservationId());
        if (reservation == null) {
            return null;
        }
        Instant until = now.plusSeconds(lease.renewTtlSeconds());
        return until.isAfter(reservation.expiresAt())
                ? new ReservationRenewedEvent(c.ledgerId(), c.commandId(), now, lease.reservationId(), until)
                : null;
    }

    /** Applies an accepted part's events; a refused part (its lease is not open) changes nothing. */
    private static CommandAcceptedReply applied(Decision part, Consumer<LedgerEvent> apply) {
        if (!(part.reply() instanceof CommandAcceptedReply accepted)) {
            return null;
        }
        part.events().forEach(apply);
        return accepted;
    }

    private static Decision validSettlement(SettleLeasesCommand c) {
        if (c.leases() == null || c.leases().isEmpty() || c.leases().stream().anyMatch(lease -> lease == null
                || blank(lease.reservationId()) || (lease.charges().isEmpty() && !lease.release() && !lease.renews()))) {
            return Decision.invalid(c, INVALID_COMMAND,
                    "at least one lease, each with a reservation_id and charges, a release or a renewal, is required");
        }
        if (c.leases().stream().anyMatch(lease -> lease.renewTtlSeconds() < 0
                || lease.renewTtlSeconds() > MAX_TTL_SECONDS)) {
            return Decision.invalid(c, INVALID_COMMAND,
                    "renew_ttl_seconds must lie between 0 (no renewal) and " + MAX_TTL_SECONDS);
        }
        if (c.leases().stream().map(LeaseSettlement::reservationId).distinct().count() < c.leases().size()) {
            return Decision.invalid(c, INVALID_COMMAND, "each lease may be settled once per command");
        }
        for (LeaseSettlement lease : c.leases()) {
            if (!lease.charges().isEmpty()) {
                Decision invalid = validCharges(new ChargeLeaseCommand(c.commandId(), c.ledgerId(),
                        lease.reservationId(), lease.charges()));
                if (invalid != null) {
                    return Decision.invalid(c, ((CommandRejectedReply) invalid.reply()).reason(),
                            "lease " + lease.reservationId() + ": " + ((CommandRejectedReply) invalid.reply()).detail());
                }
            }
        }
        return null;
    }

    private static Decision validCharges(ChargeLeaseCommand c) {
        if (c.charges() == null || c.charges().isEmpty()
                || c.charges().stream().anyMatch(charge -> charge == null || blank(charge.requestId()))) {
            return Decision.invalid(c, INVALID_COMMAND, "at least one charge, each with a request_id, is required");
        }
        // The same request twice in one command is a gateway bug that would charge the member twice.
        if (c.charges().stream().map(LeaseCharge::requestId).distinct().count() < c.charges().size()) {
            return Decision.invalid(c, INVALID_COMMAND, "each request_id may be charged once per command");
        }
        if (c.charges().stream().anyMatch(charge -> charge.actualCredits() < 0 || charge.heldCredits() < 0
                || charge.tokensIn() < 0 || charge.tokensOut() < 0)) {
            return Decision.invalid(c, INVALID_AMOUNT,
                    "held_credits, actual_credits and token counts must not be negative");
        }
        return null;
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
            LocalDate window = BudgetWindows.start(budget.period, now);
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

    private static Decision release(LedgerState state, ReleaseReservationCommand c, Instant now) {
        Reservation reservation = state.reservations.get(c.reservationId());
        if (reservation == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION, "reservation " + c.reservationId() + " is not open");
        }
        return Decision.accept(c, reservation.credits(), new ReservationReleasedEvent(c.ledgerId(), c.commandId(),
                now, c.reservationId(), reservation.credits(), c.reason()));
    }

    private static Decision expire(LedgerState state, ExpireReservationCommand c, Instant now) {
        Reservation reservation = state.reservations.get(c.reservationId());
        if (reservation == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION, "reservation " + c.reservationId() + " is not open");
        }
        if (now.isBefore(reservation.expiresAt())) {
            return Decision.invalid(c, RESERVATION_NOT_DUE,
                    "reservation " + c.reservationId() + " expires at " + reservation.expiresAt());
        }
        return Decision.accept(c, reservation.credits(), new ReservationExpiredEvent(c.ledgerId(), c.commandId(), now,
                c.reservationId(), reservation.credits(), reservation.expiresAt()));
    }

    private static Decision adjust(LedgerState state, AdjustBalanceCommand c, Instant now) {
        Decision invalid = requireAccount(state, c, c.accountId());
        if (invalid != null) {
            return invalid;
        }
        if (c.deltaCredits() == 0) {
            return Decision.invalid(c, INVALID_AMOUNT, "delta_credits must not be zero");
        }
        Account account = state.accounts.get(c.accountId());
        long available = account.available();
        Math.addExact(account.balance, c.deltaCredits());
        if (c.deltaCredits() < 0 && Math.addExact(available, c.deltaCredits()) < 0) {
            return Decision.invalid(c, INSUFFICIENT_CREDITS, "account " + c.accountId() + " has " + available
                    + " credits available, cannot adjust by " + c.deltaCredits());
        }
        return Decision.accept(c, Math.absExact(c.deltaCredits()), new BalanceAdjustedEvent(c.ledgerId(), c.commandId(),
                now, c.accountId(), c.deltaCredits(), c.actor(), c.reason()));
    }

    private static Decision refund(LedgerState state, RefundCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.accountId());
        }
        if (invalid != null) {
            return invalid;
        }
        Math.addExact(state.accounts.get(c.accountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsRefundedEvent(c.ledgerId(), c.commandId(), now,
                c.accountId(), c.credits(), c.reservationId(), c.actor(), c.reason()));
    }

    /**
     * The charged spend at which {@code threshold} percent of {@code limit} is reached, {@code ceil(threshold * limit
     * / 100)}, without forming {@code threshold * limit}, which passes a long for limits above about 9 * 10^16.
     */
    static long thresholdCredits(int threshold, long limit) {
        return threshold * (limit / 100) + (threshold * (limit % 100) + 99) / 100;
    }

    /** Fails (and so refuses the command) when a usage's charge would take a balance or a budget past a long. */
    private static void requireChargeable(LedgerState state, Reservation reservation, List<Leg> parts,
            Overdraft overdraft, long charged) {
        for (Leg part : parts) {
            Math.subtractExact(state.accounts.get(part.accountId()).balance, part.credits());
        }
        if (overdraft.credits > 0) {
            Math.subtractExact(Math.subtractExact(state.accounts.get(overdraft.accountId).balance,
                    paidBy(parts, overdraft.accountId)), overdraft.credits);
        }
        budgetsCanCount(state, reservation.budgets(), charged);
    }

    static void budgetsCanCount(LedgerState state, List<BudgetHold> holds, long charged) {
        for (BudgetHold hold : holds) {
            Budget budget = state.budgets.get(hold.budgetId());
            if (budget != null) {
                Math.addExact(Math.addExact(budget.charged, budget.reserved), charged);
            }
        }
    }

    /** A settlement's part whose sums would pass a long is refused like any command, and skipped. */
    private static Decision exactly(LedgerCommand c, java.util.function.Supplier<Decision> part) {
        try {
            return part.get();
        } catch (ArithmeticException e) {
            return Decision.invalid(c, INVALID_AMOUNT, overflow());
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    private static List<Map.Entry<String, Budget>> budgetsOn(LedgerState state, List<Scope> chain) {
        var scopes = new HashSet<>(chain);
        return state.budgets.entrySet().stream().filter(b -> scopes.contains(b.getValue().scope)).toList();
    }

    private static Decision requirePositive(LedgerCommand c, long amount, String field) {
        return amount > 0 ? null : Decision.invalid(c, INVALID_AMOUNT, field + " must be positive, was " + amount);
    }

    private static Decision requireAccount(LedgerState state, LedgerCommand c, String accountId) {
        return accountId != null && state.accounts.containsKey(accountId) ? null
                : Decision.invalid(c, UNKNOWN_ACCOUNT, "no account " + accountId + " in ledger " + c.ledgerId());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

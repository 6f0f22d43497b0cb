package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.UsageRecordedEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.DUPLICATE_RESERVATION;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.RESERVATION_NOT_DUE;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LeaseRules.saturatedAdd;
import static dev.tally.ledger.domain.LedgerRules.MAX_TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerRules.alertsAfterCharge;
import static dev.tally.ledger.domain.LedgerRules.blank;
import static dev.tally.ledger.domain.LedgerRules.budgetsCanCount;
import static dev.tally.ledger.domain.LedgerRules.budgetsOn;
import static dev.tally.ledger.domain.LedgerRules.requireAccount;
import static dev.tally.ledger.domain.LedgerRules.requirePositive;
import static dev.tally.ledger.domain.Overdraft.overdrawn;
import static dev.tally.ledger.domain.Overdraft.paidBy;

/**
 * The rules of holds: reserving against accounts and every budget on the chain, charging a single reservation's
 * usage, releasing and expiring.
 */
final class ReservationRules {

    private ReservationRules() {
    }

    static Decision reserve(LedgerState state, ReserveCreditCommand c, Instant now) {
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
            holds.add(new BudgetHold(entry.getKey(), budget.period.windowStart(now)));
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
    static long coverable(LedgerState state, List<String> accountIds, Priority priority) {
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

    static Decision budgetExceeded(ReserveCreditCommand c, long requested, Instant now, List<Scope> chain,
            String budgetId, Budget budget, long spent) {
        String detail = "budget " + budgetId + " (" + budget.period + " on " + budget.scope.level() + " "
                + budget.scope.id() + ") has " + Math.max(0, budget.limit - spent) + " of " + budget.limit
                + " credits left, " + requested + " requested";
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new CreditReservationRejectedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(),
                requested, chain, BUDGET_EXCEEDED, budgetId, detail));
        boolean newWindow = !budget.isCurrent(budget.period.windowStart(now));
        if (newWindow || !budget.exhausted) {
            events.add(new BudgetExhaustedEvent(c.ledgerId(), c.commandId(), now, budgetId, budget.scope,
                    budget.period, budget.period.windowStart(now), spent, budget.limit, budget.autoDisable));
        }
        long reserved = budget.isCurrent(budget.period.windowStart(now)) ? budget.reserved : 0;
        return Decision.refuse(c, BUDGET_EXCEEDED, detail, budgetId, reserved, events.toArray(LedgerEvent[]::new));
    }

    /**
     * Takes what each account has available, in order. A critical reservation may put the shortfall on the last
     * account, as long as the whole ledger stays within its overdraft limit. Null when the accounts cannot cover it.
     */
    static List<Leg> drawLegs(LedgerState state, List<String> accountIds, long credits, Priority priority) {
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

    static Decision recordUsage(LedgerState state, RecordUsageCommand c, Instant now) {
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
        long charged = held + overdraft.credits();
        List<Leg> parts = reservation.take(held);
        requireChargeable(state, reservation, parts, overdraft, charged);
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new UsageRecordedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), reservation.credits(),
                c.actualCredits(), charged, overdraft.uncollected(), reservation.credits() - held, parts,
                reservation.scopeChain(), c.tokensIn(), c.tokensOut(), c.model(), c.provider(), overdraft.credits(),
                overdraft.accountId()));
        if (overdraft.credits() > 0) {
            // The reservation ends: its legs on the account are no longer held.
            Account account = state.accounts.get(overdraft.accountId());
            long balance = Math.subtractExact(Math.subtractExact(account.balance, paidBy(parts, overdraft.accountId())),
                    overdraft.credits());
            long reserved = account.reserved - paidBy(reservation.legs(), overdraft.accountId());
            events.add(overdrawn(c, now, reservation, c.reservationId(), overdraft, balance, balance - reserved));
        }
        events.addAll(alertsAfterCharge(state, c, reservation.budgets(), reservation.id(), charged, now));
        return Decision.accept(c, charged, events.toArray(LedgerEvent[]::new));
    }

    /** Fails (and so refuses the command) when a usage's charge would take a balance or a budget past a long. */
    static void requireChargeable(LedgerState state, Reservation reservation, List<Leg> parts,
            Overdraft overdraft, long charged) {
        for (Leg part : parts) {
            Math.subtractExact(state.accounts.get(part.accountId()).balance, part.credits());
        }
        if (overdraft.credits() > 0) {
            Math.subtractExact(Math.subtractExact(state.accounts.get(overdraft.accountId()).balance,
                    paidBy(parts, overdraft.accountId())), overdraft.credits());
        }
        budgetsCanCount(state, reservation.budgets(), charged);
    }

    static Decision release(LedgerState state, ReleaseReservationCommand c, Instant now) {
        Reservation reservation = state.reservations.get(c.reservationId());
        if (reservation == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION, "reservation " + c.reservationId() + " is not open");
        }
        return Decision.accept(c, reservation.credits(), new ReservationReleasedEvent(c.ledgerId(), c.commandId(),
                now, c.reservationId(), reservation.credits(), c.reason()));
    }

    static Decision expire(LedgerState state, ExpireReservationCommand c, Instant now) {
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
}

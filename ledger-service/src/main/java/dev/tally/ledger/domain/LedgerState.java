package dev.tally.ledger.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerOpenedEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReservationRenewedEvent;
import dev.tally.events.ledger.TransferRefusedEvent;
import dev.tally.events.ledger.UsageRecordedEvent;
import dev.tally.ledger.domain.LedgerSnapshot.AccountBalance;
import dev.tally.ledger.domain.LedgerSnapshot.BudgetWindow;
import dev.tally.ledger.domain.LedgerSnapshot.OpenReservation;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state a ledger's decisions need, and nothing more. It changes only by {@link #apply(LedgerEvent)}, so folding
 * a ledger's events from the start always rebuilds it exactly.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class LedgerState {

    String ledgerId;
    long overdraftLimit;
    Map<String, Account> accounts = new LinkedHashMap<>();
    Map<String, Budget> budgets = new LinkedHashMap<>();
    Map<String, Reservation> reservations = new LinkedHashMap<>();
    /**
     * Every budget id ever removed, whether the ledger knew the budget or not: governance's commands for one budget
     * may arrive out of order (a definition resent after its removal), and a definition arriving after the removal
     * must not bring back a budget governance has deleted. Absent from states saved before tombstones: empty then.
     */
    Set<String> removedBudgets = new HashSet<>();
    /**
     * Holds that expired, in the order they did, so that charges journaled for them still find their accounts and
     * budgets ({@link ExpiredLease}). Absent from states saved before late charges: empty then.
     */
    Map<String, ExpiredLease> expiredLeases = new LinkedHashMap<>();
    /** Null unless someone asked to know what changed (the balances projection); never part of the JSON form. */
    @JsonIgnore
    private transient LedgerChanges changes;

    public static LedgerState replay(Iterable<? extends LedgerEvent> events) {
        LedgerState state = new LedgerState();
        events.forEach(state::apply);
        return state;
    }

    public boolean isOpen() {
        return ledgerId != null;
    }

    public void apply(LedgerEvent event) {
        if (event instanceof LedgerOpenedEvent e) {
            ledgerId = e.ledgerId();
            overdraftLimit = e.criticalOverdraftLimit();
            accounts.put(e.orgAccountId(), new Account(dev.tally.events.ledger.AccountKind.ORG));
            touchAccount(e.orgAccountId());
        } else if (event instanceof AccountOpenedEvent e) {
            accounts.put(e.accountId(), new Account(e.kind()));
            touchAccount(e.accountId());
        } else if (event instanceof CreditsPurchasedEvent e) {
            account(e.accountId()).add(e.credits());
        } else if (event instanceof CreditsTransferredEvent e) {
            account(e.fromAccountId()).add(-e.credits());
            account(e.toAccountId()).add(e.credits());
        } else if (event instanceof TransferRefusedEvent e) {
            // Recorded for audit; nothing moved.
        } else if (event instanceof BudgetDefinedEvent e) {
            defineBudget(e);
        } else if (event instanceof BudgetRemovedEvent e) {
            budgets.remove(e.budgetId());
            removedBudgets.add(e.budgetId());
            touchBudget(e.budgetId());
        } else if (event instanceof CreditReservedEvent e) {
            reserve(e);
        } else if (event instanceof CreditReservationRejectedEvent e) {
            // Recorded for audit and alerts; nothing moved.
        } else if (event instanceof UsageRecordedEvent e) {
            settle(e);
        } else if (event instanceof LeaseChargedEvent e) {
            chargeLease(e);
        } else if (event instanceof ReservationReleasedEvent e) {
            release(e.reservationId());
        } else if (event instanceof ReservationExpiredEvent e) {
            Reservation expired = release(e.reservationId());
            rememberExpired(e.reservationId(), ExpiredLease.of(expired, e.occurredAt()));
        } else if (event instanceof ReservationRenewedEvent e) {
            reservations.put(e.reservationId(), reservations.get(e.reservationId()).renewedUntil(e.expiresAt()));
            touchReservation(e.reservationId());
        } else if (event instanceof CreditOverdrawnEvent e) {
            // An alert: the charge event before it took the overdraft.
        } else if (event instanceof BalanceAdjustedEvent e) {
            account(e.accountId()).add(e.deltaCredits());
        } else if (event instanceof CreditsRefundedEvent e) {
            account(e.accountId()).add(e.credits());
        } else if (event instanceof BudgetThresholdCrossedEvent e) {
            Budget budget = budgetInWindow(e.budgetId(), e.occurredAt(), e.windowStart());
            if (budget != null) {
                budget.crossed.add(e.thresholdPercent());
            }
        } else if (event instanceof BudgetExhaustedEvent e) {
            Budget budget = budgetInWindow(e.budgetId(), e.occurredAt(), e.windowStart());
            if (budget != null) {
                budget.exhausted = true;
            }
        } else {
            throw new IllegalArgumentException("unknown ledger event " + event.getClass().getName());
        }
    }

    private void defineBudget(BudgetDefinedEvent e) {
        touchBudget(e.budgetId());
        Budget existing = budgets.get(e.budgetId());
        if (existing == null) {
            budgets.put(e.budgetId(), new Budget(e.scope(), e.period(), e.limitCredits(), e.thresholdsPercent(),
                    e.autoDisable(), e.occurredAt()));
            return;
        }
        // A redefinition keeps the current window's spend: raising a limit mid-month must not forgive what was spent.
        existing.rollTo(e.occurredAt());
        existing.scope = e.scope();
        existing.limit = e.limitCredits();
        existing.thresholds = e.thresholdsPercent();
        existing.autoDisable = e.autoDisable();
        if (existing.period != e.period()) {
            existing.period = e.period();
            existing.windowStart = e.period().windowStart(e.occurredAt());
        }
    }

    private void reserve(CreditReservedEvent e) {
        e.legs().forEach(leg -> account(leg.accountId()).hold(leg.credits()));
        for (BudgetHold hold : e.budgets()) {
            Budget budget = budgetAt(hold.budgetId(), e.occurredAt());
            budget.reserved = Math.addExact(budget.reserved, e.credits());
            budget.holding.add(e.reservationId());
        }
        reservations.put(e.reservationId(), new Reservation(e.reservationId(), e.credits(), e.legs(), e.budgets(),
                e.scopeChain(), e.priority(), e.expiresAt(), e.legs().isEmpty() ? null : e.legs().get(0).accountId()));
        touchReservation(e.reservationId());
    }

    private void settle(UsageRecordedEvent e) {
        Reservation reservation = reservations.remove(e.reservationId());
        touchReservation(e.reservationId());
        releaseLegs(reservation);
        for (Leg charge : e.charges()) {
            account(charge.accountId()).add(-charge.credits());
        }
        overdraw(e.overdraftAccountId(), e.overdraftCredits());
        for (BudgetHold hold : reservation.budgets()) {
            Budget budget = budget(hold.budgetId());
            // The charge counts where the hold counted; a hold from an ended window counts nowhere any more.
            if (budget != null && budget.release(reservation)) {
                budget.charged = Math.addExact(budget.charged, e.chargedCredits());
            }
        }
    }

    /**
     * Moves the charge from held to paid and keeps the lease open with the rest, so accounts' availability and budgets'
     * spend stay what they were while the lease was whole; its release later gives back only what is left.
     */
    private void chargeLease(LeaseChargedEvent e) {
        Reservation lease = reservations.get(e.reservationId());
        if (lease == null) {
            chargeExpiredLease(e);
            return;
        }
        reservations.put(e.reservationId(), lease.less(e.charges()));
        touchReservation(e.reservationId());
        for (Leg charge : e.charges()) {
            Account account = account(charge.accountId());
            account.hold(-charge.credits());
            account.add(-charge.credits());
        }
        overdraw(e.overdraftAccountId(), e.overdraftCredits());
        for (BudgetHold hold : lease.budgets()) {
            Budget budget = budget(hold.budgetId());
            // As in settle: the charge counts where the hold counted, and nowhere once the hold's window ended.
            if (budget != null) {
                budget.charge(lease, e.heldPartCredits(), e.chargedCredits());
            }
        }
    }

    /**
     * A charge that arrived after its lease expired: nothing is held any more, so all of it leaves the balance as an
     * overdraft, and it counts in the current window of each budget the lease counted in.
     */
    private void chargeExpiredLease(LeaseChargedEvent e) {
        ExpiredLease expired = expiredLeases.get(e.reservationId());
        overdraw(e.overdraftAccountId(), e.overdraftCredits());
        for (BudgetHold hold : expired.budgets()) {
            Budget budget = budget(hold.budgetId());
            if (budget != null) {
                budget.rollTo(e.occurredAt());
                budget.charged = Math.addExact(budget.charged, e.chargedCredits());
            }
        }
    }

    /** Keeps {@code expired} for late charges and forgets those past {@link ExpiredLease#KEPT_FOR} or the bound. */
    private void rememberExpired(String reservationId, ExpiredLease expired) {
        Instant forgetBefore = expired.expiredAt().minus(ExpiredLease.KEPT_FOR);
        var oldest = expiredLeases.values().iterator();
        while (oldest.hasNext()) {
            ExpiredLease next = oldest.next();
            if (next.expiredAt().isBefore(forgetBefore) || expiredLeases.size() >= ExpiredLease.MAX_KEPT) {
                oldest.remove();
            } else {
                break;
            }
        }
        expiredLeases.put(reservationId, expired);
    }

    /** A charge beyond its hold leaves the account's balance directly; it was never reserved. */
    private void overdraw(String accountId, long credits) {
        if (credits > 0) {
            account(accountId).add(-credits);
        }
    }

    private Reservation release(String reservationId) {
        Reservation reservation = reservations.remove(reservationId);
        touchReservation(reservationId);
        releaseLegs(reservation);
        for (BudgetHold hold : reservation.budgets()) {
            Budget budget = budget(hold.budgetId());
            if (budget != null) {
                budget.release(reservation);
            }
        }
        return reservation;
    }

    private void releaseLegs(Reservation reservation) {
        reservation.legs().forEach(leg -> account(leg.accountId()).hold(-leg.credits()));
    }

    private Budget budgetAt(String budgetId, Instant at) {
        Budget budget = budget(budgetId);
        budget.rollTo(at);
        return budget;
    }

    /** The budget if it is still in {@code window} at {@code at}; alerts for a window that has ended change nothing. */
    private Budget budgetInWindow(String budgetId, Instant at, java.time.LocalDate window) {
        Budget budget = budget(budgetId);
        if (budget == null) {
            return null;
        }
        budget.rollTo(at);
        return budget.isCurrent(window) ? budget : null;
    }

    long totalOverdraft() {
        return accounts.values().stream().mapToLong(Account::overdraft).reduce(0, Math::addExact);
    }

    /** True once a removal of this budget id was recorded, before or after any definition of it. */
    boolean wasRemoved(String budgetId) {
        return removedBudgets.contains(budgetId);
    }

    /** The account an event changes; every change to an account goes through here, so none escapes tracking. */
    private Account account(String accountId) {
        touchAccount(accountId);
        return accounts.get(accountId);
    }

    /** As {@link #account}, for budgets (null when there is none of that id). */
    private Budget budget(String budgetId) {
        touchBudget(budgetId);
        return budgets.get(budgetId);
    }

    private void touchAccount(String accountId) {
        if (changes != null) {
            changes.accounts.add(accountId);
        }
    }

    private void touchBudget(String budgetId) {
        if (changes != null) {
            changes.budgets.add(budgetId);
        }
    }

    private void touchReservation(String reservationId) {
        if (changes != null) {
            changes.reservations.add(reservationId);
        }
    }

    /** What the events applied since the last call changed; tracking starts with the first call. */
    public LedgerChanges takeChanges() {
        LedgerChanges taken = changes == null ? new LedgerChanges() : changes;
        changes = new LedgerChanges();
        return taken;
    }

    /** A comparable picture of balances, reservations and budget windows: what the projection must agree with. */
    public LedgerSnapshot snapshot() {
        var accountRows = accounts.keySet().stream().map(id -> accountRow(id).orElseThrow())
                .sorted(Comparator.comparing(AccountBalance::accountId)).toList();
        var reservationRows = reservations.keySet().stream().map(id -> reservationRow(id).orElseThrow())
                .sorted(Comparator.comparing(OpenReservation::reservationId)).toList();
        var budgetRows = budgets.keySet().stream().map(id -> budgetRow(id).orElseThrow())
                .sorted(Comparator.comparing(BudgetWindow::budgetId)).toList();
        return new LedgerSnapshot(ledgerId, overdraftLimit, accountRows, reservationRows, budgetRows);
    }

    /** One row of {@link #snapshot()}; empty when there is no such account. */
    public Optional<AccountBalance> accountRow(String accountId) {
        Account a = accounts.get(accountId);
        return a == null ? Optional.empty() : Optional.of(new AccountBalance(accountId, a.kind, a.balance, a.reserved));
    }

    /** One row of {@link #snapshot()}; empty once the reservation is settled, released or expired. */
    public Optional<OpenReservation> reservationRow(String reservationId) {
        Reservation r = reservations.get(reservationId);
        return r == null ? Optional.empty() : Optional.of(new OpenReservation(r.id(), r.credits(), r.priority(),
                r.expiresAt()));
    }

    /** One row of {@link #snapshot()}; empty when there is no budget of that id. */
    public Optional<BudgetWindow> budgetRow(String budgetId) {
        Budget b = budgets.get(budgetId);
        return b == null ? Optional.empty() : Optional.of(new BudgetWindow(budgetId, b.scope, b.period, b.limit,
                b.windowStart, b.charged, b.reserved));
    }

    public String ledgerId() {
        return ledgerId;
    }

    public long criticalOverdraftLimit() {
        return overdraftLimit;
    }
}

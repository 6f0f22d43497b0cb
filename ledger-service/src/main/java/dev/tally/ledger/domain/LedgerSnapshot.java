package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A ledger as people look at it; equal snapshots mean equal ledgers. Rows are sorted by id. */
public record LedgerSnapshot(String ledgerId, long criticalOverdraftLimit, List<AccountBalance> accounts,
        List<OpenReservation> reservations, List<BudgetWindow> budgets) {

    public record AccountBalance(String accountId, AccountKind kind, long balance, long reserved) {

        public long available() {
            return balance - reserved;
        }
    }

    public record OpenReservation(String reservationId, long credits, Priority priority, Instant expiresAt) {
    }

    /** A budget's spend in its latest window; {@code windowStart} is the window the ledger last touched. */
    public record BudgetWindow(String budgetId, Scope scope, BudgetPeriod period, long limitCredits,
            LocalDate windowStart, long chargedCredits, long reservedCredits) {
    }
}

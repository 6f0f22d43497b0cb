package dev.tally.ledger.balance;

import dev.tally.events.ledger.view.LedgerView;
import dev.tally.ledger.domain.LedgerSnapshot;

/** {@code GET /ledgers/{id}}'s answer from the projection's snapshot of a ledger. */
final class LedgerViews {

    private LedgerViews() {
    }

    static LedgerView of(LedgerSnapshot snapshot, long eventsApplied) {
        return new LedgerView(snapshot.ledgerId(), snapshot.criticalOverdraftLimit(), eventsApplied,
                snapshot.accounts().stream().map(a -> new LedgerView.Account(a.accountId(), a.kind(), a.balance(),
                        a.reserved(), a.available())).toList(),
                snapshot.reservations().stream().map(r -> new LedgerView.OpenReservation(r.reservationId(),
                        r.credits(), r.priority(), r.expiresAt())).toList(),
                snapshot.budgets().stream().map(b -> new LedgerView.BudgetWindow(b.budgetId(), b.scope(), b.period(),
                        b.limitCredits(), b.windowStart(), b.chargedCredits(), b.reservedCredits())).toList());
    }
}

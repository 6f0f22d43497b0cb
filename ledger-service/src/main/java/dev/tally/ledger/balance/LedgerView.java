package dev.tally.ledger.balance;

import dev.tally.events.ledger.AccountKind;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerSnapshot.BudgetWindow;
import dev.tally.ledger.domain.LedgerSnapshot.OpenReservation;

import java.util.List;

/** {@code GET /ledgers/{id}}: balances, open reservations and budget windows as the projection has them. */
public record LedgerView(String ledgerId, long criticalOverdraftLimit, long eventsApplied, List<Account> accounts,
        List<OpenReservation> reservations, List<BudgetWindow> budgets) {

    public record Account(String accountId, AccountKind kind, long balance, long reserved, long available) {
    }

    static LedgerView of(LedgerSnapshot snapshot, long eventsApplied) {
        return new LedgerView(snapshot.ledgerId(), snapshot.criticalOverdraftLimit(), eventsApplied,
                snapshot.accounts().stream().map(a -> new Account(a.accountId(), a.kind(), a.balance(), a.reserved(),
                        a.available())).toList(),
                snapshot.reservations(), snapshot.budgets());
    }
}

package dev.tally.ledger.domain;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which rows of a ledger's picture ({@link LedgerSnapshot}) the events applied since tracking began may have changed:
 * the balances projection writes these rows and no others, instead of comparing two pictures of the whole ledger
 * (an organisation with a thousand agents has thousands of accounts and budgets, and the comparison cost more than
 * the events). An id whose row no longer exists (a settled reservation, a removed budget) means: delete the row.
 */
public final class LedgerChanges {

    final Set<String> accounts = new LinkedHashSet<>();
    final Set<String> reservations = new LinkedHashSet<>();
    final Set<String> budgets = new LinkedHashSet<>();

    public Set<String> accounts() {
        return accounts;
    }

    public Set<String> reservations() {
        return reservations;
    }

    public Set<String> budgets() {
        return budgets;
    }

    public boolean isEmpty() {
        return accounts.isEmpty() && reservations.isEmpty() && budgets.isEmpty();
    }
}

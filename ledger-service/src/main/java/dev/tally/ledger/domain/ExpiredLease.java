package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.Scope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the ledger remembers of a hold after it expired: enough to charge requests its gateway journaled but could
 * not settle in time. A gateway replica that is down for longer than its leases' time to live comes back with charges
 * for leases that expired meanwhile; forgetting the lease would serve those requests free. Kept for {@link #KEPT_FOR}
 * after the expiry and at most {@link #MAX_KEPT} per ledger, oldest forgotten first (both part of the rules, so
 * replaying the events always forgets the same ones).
 *
 * @param budgets the budgets the hold counted in: a late charge counts in their current windows
 * @param scopeChain the request's scopes, as on every charge
 * @param overdraftAccountId the account that pays a late charge: the one the hold drew from first
 * @param expiredAt when the hold expired
 */
record ExpiredLease(List<BudgetHold> budgets, List<Scope> scopeChain, String overdraftAccountId, Instant expiredAt) {

    /**
     * How long after its expiry a lease still takes charges. A replica's journal replays at its next start; a week
     * covers a replica brought back after a weekend, and docs/ledger.md tells operators what happens after.
     */
    static final Duration KEPT_FOR = Duration.ofDays(7);

    /** A bound on a ledger's state whatever happens: a crash expires at most a replica's open leases at once. */
    static final int MAX_KEPT = 100_000;

    static ExpiredLease of(Reservation reservation, Instant expiredAt) {
        return new ExpiredLease(reservation.budgets(), reservation.scopeChain(), reservation.overdraftAccountId(),
                expiredAt);
    }
}

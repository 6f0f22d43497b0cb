package dev.tally.ledger.domain;

import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;

import java.time.Instant;
import java.util.List;

/**
 * The part of a charge beyond its hold. It is charged, not forgiven: the hold is an upper bound on what the
 * gateway could count, so an excess arises only from a provider billing beyond it, and forgiving that would let a
 * key spend what it was never given. It goes to the account the reservation drew from first (the member's own,
 * as the gateway orders them), outside the availability and budget checks a hold passes, so that account may go
 * below zero and its budgets beyond their limits; both are recorded and alerted.
 */
record Overdraft(long credits, String accountId, long uncollected) {

    static Overdraft of(Reservation reservation, long excess) {
        if (excess <= 0) {
            return new Overdraft(0, null, 0);
        }
        String accountId = reservation.overdraftAccountId();
        // Only a lease charged dry in a state saved before overdrafts has no account left to name: forgive, as then.
        return accountId == null ? new Overdraft(0, null, excess) : new Overdraft(excess, accountId, 0);
    }

    static long paidBy(List<Leg> legs, String accountId) {
        return legs.stream().filter(l -> l.accountId().equals(accountId)).mapToLong(Leg::credits).sum();
    }

    static CreditOverdrawnEvent overdrawn(LedgerCommand c, Instant now, Reservation reservation,
            String requestId, Overdraft overdraft, long balance, long available) {
        Scope member = reservation.scopeChain().stream().filter(s -> s.level() == ScopeLevel.MEMBER).findFirst()
                .orElse(null);
        return new CreditOverdrawnEvent(c.ledgerId(), c.commandId(), now, reservation.id(), requestId,
                overdraft.accountId(), member, overdraft.credits(), balance, available);
    }
}

package dev.tally.ledger.domain;

import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Charges that reach the ledger after their lease expired: a gateway replica that was down for longer than the lease's
 * time to live sends, at its next start, the charges it had journaled. The requests were answered, so they are
 * charged; the lease's hold went back at its expiry, so each whole cost is charged outside any hold, as an overdraft
 * of the account the lease drew from first, and counted in the current window of the lease's budgets. Each charge is a
 * {@link LeaseChargedEvent} without legs (nothing held paid for it) and raises a {@link CreditOverdrawnEvent}, so the
 * late charge shows where overdrafts are watched.
 */
final class LateCharges {

    private LateCharges() {
    }

    static Decision charge(LedgerState state, ChargeLeaseCommand c, ExpiredLease lease, Instant now) {
        String accountId = lease.overdraftAccountId();
        Scope member = lease.scopeChain().stream().filter(s -> s.level() == ScopeLevel.MEMBER).findFirst()
                .orElse(null);
        List<LedgerEvent> events = new ArrayList<>();
        long total = 0;
        long balance = accountId == null ? 0 : state.accounts.get(accountId).balance;
        for (LeaseCharge charge : c.charges()) {
            // A lease that never drew from an account (only in states saved before overdrafts) has nobody to charge.
            long charged = accountId == null ? 0 : charge.actualCredits();
            long uncollected = charge.actualCredits() - charged;
            total = Math.addExact(total, charged);
            events.add(new LeaseChargedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), charge.requestId(),
                    charge.actualCredits(), charged, uncollected, 0, List.of(), lease.scopeChain(), charge.tokensIn(),
                    charge.tokensOut(), charge.model(), charge.provider(), charged, charged > 0 ? accountId : null));
            if (charged > 0) {
                balance = Math.subtractExact(balance, charged);
                long reserved = state.accounts.get(accountId).reserved;
                events.add(new CreditOverdrawnEvent(c.ledgerId(), c.commandId(), now, c.reservationId(),
                        charge.requestId(), accountId, member, charged, balance, balance - reserved));
            }
        }
        LedgerRules.budgetsCanCount(state, lease.budgets(), total);
        events.addAll(LedgerRules.alertsAfterCharge(state, c, lease.budgets(), null, total, now));
        return Decision.accept(c, total, events.toArray(LedgerEvent[]::new));
    }
}

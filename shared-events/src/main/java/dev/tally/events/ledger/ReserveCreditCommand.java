package dev.tally.events.ledger;

import java.util.List;

/**
 * The first phase of a charge: holds {@code credits} until usage is recorded, the reservation is released, or
 * {@code ttlSeconds} pass and the ledger expires it.
 *
 * @param scopeChain the principal's hierarchy, org first; every budget on it must fit the amount
 * @param accountIds the accounts to draw from, in order
 * @param minimumCredits when positive and below {@code credits}, the ledger holds as much as fits between the two
 *                       (a gateway's credit lease: a block for many requests, at least the one that asks) and
 *                       refuses only when not even this fits; zero means exactly {@code credits}
 */
public record ReserveCreditCommand(String commandId, String ledgerId, String reservationId, List<Scope> scopeChain,
        List<String> accountIds, long credits, Priority priority, long ttlSeconds, long minimumCredits)
        implements LedgerCommand {

    /** A reservation of exactly {@code credits}. */
    public ReserveCreditCommand(String commandId, String ledgerId, String reservationId, List<Scope> scopeChain,
            List<String> accountIds, long credits, Priority priority, long ttlSeconds) {
        this(commandId, ledgerId, reservationId, scopeChain, accountIds, credits, priority, ttlSeconds, 0);
    }

    /** What the ledger must at least hold for the reservation to be accepted. */
    public long floorCredits() {
        return minimumCredits > 0 && minimumCredits < credits ? minimumCredits : credits;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reserveCredit(this);
    }
}

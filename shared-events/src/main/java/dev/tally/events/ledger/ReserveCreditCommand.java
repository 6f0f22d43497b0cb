package dev.tally.events.ledger;

import java.util.List;

/**
 * The first phase of a charge: holds {@code credits} until usage is recorded, the reservation is released, or
 * {@code ttlSeconds} pass and the ledger expires it.
 *
 * @param scopeChain the principal's hierarchy, org first; every budget on it must fit the amount
 * @param accountIds the accounts to draw from, in order
 */
public record ReserveCreditCommand(String commandId, String ledgerId, String reservationId, List<Scope> scopeChain,
        List<String> accountIds, long credits, Priority priority, long ttlSeconds) implements LedgerCommand {
}

package dev.tally.events.ledger;

import java.time.Instant;

public record BalanceAdjustedEvent(String ledgerId, String commandId, Instant occurredAt, String accountId,
        long deltaCredits, String actor, String reason) implements LedgerEvent {
}

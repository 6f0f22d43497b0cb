package dev.tally.events.ledger;

import java.time.Instant;

public record LedgerOpenedEvent(String ledgerId, String commandId, Instant occurredAt, String orgAccountId,
        long criticalOverdraftLimit, String actor) implements LedgerEvent {
}

package dev.tally.events.ledger;

import java.time.Instant;

public record AccountOpenedEvent(String ledgerId, String commandId, Instant occurredAt, String accountId,
        AccountKind kind, String actor) implements LedgerEvent {
}

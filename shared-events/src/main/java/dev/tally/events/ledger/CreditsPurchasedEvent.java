package dev.tally.events.ledger;

import java.time.Instant;

public record CreditsPurchasedEvent(String ledgerId, String commandId, Instant occurredAt, String accountId,
        long credits, String actor, String reference) implements LedgerEvent {
}

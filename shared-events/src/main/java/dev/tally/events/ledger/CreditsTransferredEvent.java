package dev.tally.events.ledger;

import java.time.Instant;

public record CreditsTransferredEvent(String ledgerId, String commandId, Instant occurredAt, String fromAccountId,
        String toAccountId, long credits, String actor, String reason) implements LedgerEvent {
}

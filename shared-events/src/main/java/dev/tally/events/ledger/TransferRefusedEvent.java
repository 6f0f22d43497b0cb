package dev.tally.events.ledger;

import java.time.Instant;

public record TransferRefusedEvent(String ledgerId, String commandId, Instant occurredAt, String fromAccountId,
        String toAccountId, long credits, RejectionReason reason, String detail) implements LedgerEvent {
}

package dev.tally.events.ledger;

import java.time.Instant;

public record CreditsRefundedEvent(String ledgerId, String commandId, Instant occurredAt, String accountId,
        long credits, String reservationId, String actor, String reason) implements LedgerEvent {
}

package dev.tally.events.ledger;

import java.time.Instant;

public record ReservationReleasedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        long releasedCredits, String reason) implements LedgerEvent {
}

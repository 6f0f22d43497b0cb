package dev.tally.events.ledger;

import java.time.Instant;

public record ReservationExpiredEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        long releasedCredits, Instant expiresAt) implements LedgerEvent {
}

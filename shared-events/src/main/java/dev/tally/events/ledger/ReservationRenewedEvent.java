package dev.tally.events.ledger;

import java.time.Instant;

/**
 * A lease's time to live was renewed by its settlement: it now expires at {@code expiresAt}, later than before.
 *
 * @param reservationId the lease
 * @param expiresAt its new expiry
 */
public record ReservationRenewedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        Instant expiresAt) implements LedgerEvent {
}

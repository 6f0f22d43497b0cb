package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/**
 * @param chargedCredits what the accounts paid: the actual cost, capped at the reservation
 * @param uncollectedCredits actual cost beyond the reservation, which nobody was charged for
 * @param releasedCredits the unused rest of the reservation, available again
 * @param charges how the charge split over the reservation's accounts
 */
public record UsageRecordedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        long reservedCredits, long actualCredits, long chargedCredits, long uncollectedCredits, long releasedCredits,
        List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut, String model, String provider)
        implements LedgerEvent {
}

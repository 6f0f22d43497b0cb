package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One request's charge against a lease; the lease stays open with {@code remainingCredits}.
 *
 * @param reservationId the lease
 * @param requestId the gateway request charged
 * @param chargedCredits what the accounts paid: the actual cost, capped at what the lease still held
 * @param uncollectedCredits actual cost beyond what the lease held, which nobody was charged for
 * @param remainingCredits what the lease still holds after this charge
 * @param charges how the charge split over the lease's accounts
 */
public record LeaseChargedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        String requestId, long actualCredits, long chargedCredits, long uncollectedCredits, long remainingCredits,
        List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut, String model, String provider)
        implements LedgerEvent {
}

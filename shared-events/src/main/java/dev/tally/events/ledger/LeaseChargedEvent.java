package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One request's charge against a lease; the lease stays open with {@code remainingCredits}.
 *
 * @param reservationId the lease
 * @param requestId the gateway request charged
 * @param chargedCredits what the accounts paid: the part the lease held for the request plus any overdraft, so the
 *                       whole actual cost (events recorded before overdrafts capped it at the hold)
 * @param uncollectedCredits actual cost nobody was charged for; always 0 since overdrafts, kept as recorded by older
 *                           events, which forgave the cost beyond the hold
 * @param remainingCredits what the lease still holds after this charge
 * @param charges how the held part of the charge split over the lease's accounts
 * @param overdraftCredits actual cost beyond what the lease held for the request, charged to
 *                         {@code overdraftAccountId} outside the hold; 0 when the hold covered it (or absent, in
 *                         events recorded before overdrafts)
 * @param overdraftAccountId the account the overdraft was charged to: the one the lease drew from first; null
 *                           without an overdraft
 */
public record LeaseChargedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        String requestId, long actualCredits, long chargedCredits, long uncollectedCredits, long remainingCredits,
        List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut, String model, String provider,
        Long overdraftCredits, String overdraftAccountId) implements LedgerEvent {

    public LeaseChargedEvent {
        // Boxed and defaulted so that events stored before overdrafts, which lack the field, still read.
        overdraftCredits = overdraftCredits == null ? 0L : overdraftCredits;
    }

    /** A charge without overdraft, as every charge was recorded before overdrafts. */
    public LeaseChargedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
            String requestId, long actualCredits, long chargedCredits, long uncollectedCredits, long remainingCredits,
            List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut, String model, String provider) {
        this(ledgerId, commandId, occurredAt, reservationId, requestId, actualCredits, chargedCredits,
                uncollectedCredits, remainingCredits, charges, scopeChain, tokensIn, tokensOut, model, provider, 0L,
                null);
    }

    /** What the lease's hold paid: the charge without the overdraft. */
    public long heldPartCredits() {
        return chargedCredits - overdraftCredits;
    }
}

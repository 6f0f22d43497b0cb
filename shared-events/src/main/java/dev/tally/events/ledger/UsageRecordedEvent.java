package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/**
 * @param chargedCredits what the accounts paid: the part the reservation held plus any overdraft, so the whole actual
 *                       cost (events recorded before overdrafts capped it at the reservation)
 * @param uncollectedCredits actual cost nobody was charged for; always 0 since overdrafts, kept as recorded by older
 *                           events, which forgave the cost beyond the reservation
 * @param releasedCredits the unused rest of the reservation, available again
 * @param charges how the held part of the charge split over the reservation's accounts
 * @param overdraftCredits actual cost beyond the reservation, charged to {@code overdraftAccountId} outside the hold;
 *                         0 when the reservation covered it (or absent, in events recorded before overdrafts)
 * @param overdraftAccountId the account the overdraft was charged to: the one the reservation drew from first; null
 *                           without an overdraft
 */
public record UsageRecordedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        long reservedCredits, long actualCredits, long chargedCredits, long uncollectedCredits, long releasedCredits,
        List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut, String model, String provider,
        Long overdraftCredits, String overdraftAccountId) implements LedgerEvent {

    public UsageRecordedEvent {
        // Boxed and defaulted so that events stored before overdrafts, which lack the field, still read.
        overdraftCredits = overdraftCredits == null ? 0L : overdraftCredits;
    }

    /** A charge without overdraft, as every usage was recorded before overdrafts. */
    public UsageRecordedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
            long reservedCredits, long actualCredits, long chargedCredits, long uncollectedCredits,
            long releasedCredits, List<Leg> charges, List<Scope> scopeChain, long tokensIn, long tokensOut,
            String model, String provider) {
        this(ledgerId, commandId, occurredAt, reservationId, reservedCredits, actualCredits, chargedCredits,
                uncollectedCredits, releasedCredits, charges, scopeChain, tokensIn, tokensOut, model, provider, 0L,
                null);
    }

    /** What the reservation's hold paid: the charge without the overdraft. */
    public long heldPartCredits() {
        return chargedCredits - overdraftCredits;
    }
}

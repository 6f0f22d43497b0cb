package dev.tally.events.ledger;

/**
 * One request's cost, charged against the lease it was carved from.
 *
 * @param requestId the gateway request the charge is for; unique within the lease
 * @param heldCredits what the gateway carved out of the lease for this request: the most the lease pays for it, so
 *                    one request cannot eat into the credits held for the others served from the same lease
 * @param actualCredits the actual cost, charged in full: what exceeds the hold (or what the lease still holds) is
 *                      charged as an overdraft to the account the lease drew from first
 */
public record LeaseCharge(String requestId, long heldCredits, long actualCredits, long tokensIn, long tokensOut,
        String model, String provider) {
}

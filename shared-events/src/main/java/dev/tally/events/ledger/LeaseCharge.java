package dev.tally.events.ledger;

/**
 * One request's cost, charged against the lease it was carved from.
 *
 * @param requestId the gateway request the charge is for; unique within the lease
 */
public record LeaseCharge(String requestId, long actualCredits, long tokensIn, long tokensOut, String model,
        String provider) {
}

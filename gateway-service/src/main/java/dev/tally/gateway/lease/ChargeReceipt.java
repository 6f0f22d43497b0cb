package dev.tally.gateway.lease;

import java.util.concurrent.CompletableFuture;

/**
 * What a request's charge came to and when it is safe to let the answer go.
 *
 * @param credits what the ledger will charge for the request
 * @param written completes once the command carrying the charge is on the ledger's command topic: from then on the
 *                charge survives this process; fails if it could not be written before the lease's TTL
 */
public record ChargeReceipt(long credits, CompletableFuture<Void> written) {
}

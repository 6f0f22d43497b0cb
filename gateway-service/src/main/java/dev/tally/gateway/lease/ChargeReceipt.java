package dev.tally.gateway.lease;

import java.util.concurrent.CompletableFuture;

/**
 * What a request's charge came to and when it is safe to let the answer go.
 *
 * @param credits what the ledger will charge for the request
 * @param written completes once the charge is in this replica's charge journal (on disk): from then on it survives
 *                this process; fails if it could not be written
 */
public record ChargeReceipt(long credits, CompletableFuture<Void> written) {
}

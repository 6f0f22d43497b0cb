package dev.tally.gateway.lease;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;

/**
 * One reservation in the ledger that this replica carves requests out of. Guarded by its {@link LeaseLine}'s lock.
 * The ledger holds {@code size} minus what was charged; of that, {@code available} is free to carve and the rest is
 * carved by requests still running.
 */
final class Lease {

    final String id;
    final long size;
    /** Budgets roll over at UTC midnight; a lease from yesterday would book today's spend into yesterday's window. */
    final LocalDate day;
    final long createdNanos;
    long available;
    int holds;
    long lastUsedNanos;
    boolean retired;
    /**
     * When the ledger expires it unless renewed (System.nanoTime): a lease with requests still running is renewed
     * well before, so a long request's hold is never handed back under it.
     */
    long expiresNanos;
    /** Its release is queued behind its charges (see {@link LeaseSettlements}). */
    boolean releaseSent;
    /** Completes when the ledger has answered this lease's release: its rest is back for others to reserve. */
    final CompletableFuture<Void> released = new CompletableFuture<>();

    Lease(String id, long size, LocalDate day, long nowNanos, long ttlNanos) {
        this.id = id;
        this.expiresNanos = nowNanos + ttlNanos;
        this.size = size;
        this.day = day;
        this.createdNanos = nowNanos;
        this.available = size;
        this.lastUsedNanos = nowNanos;
    }
}

package dev.tally.gateway.lease;

import dev.tally.events.ledger.LeaseCharge;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
    boolean releaseSent;
    /** Charges of finished requests not yet sent; while one command is in flight the next ones gather here. */
    final List<LeaseCharge> unsent = new ArrayList<>();
    boolean sending;
    /** A send of the unsent charges is scheduled: they wait a moment for company. */
    boolean flushScheduled;
    /** Completes when the ledger has answered this lease's release: its rest is back for others to reserve. */
    final CompletableFuture<Void> released = new CompletableFuture<>();

    Lease(String id, long size, LocalDate day, long nowNanos) {
        this.id = id;
        this.size = size;
        this.day = day;
        this.createdNanos = nowNanos;
        this.available = size;
        this.lastUsedNanos = nowNanos;
    }

    boolean settled() {
        return holds == 0 && unsent.isEmpty() && !sending && !flushScheduled;
    }
}

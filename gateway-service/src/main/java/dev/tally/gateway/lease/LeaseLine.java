package dev.tally.gateway.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leases of one {@link LeaseKey}: the one requests carve from, the one being reserved, and the retired ones that
 * still wait for running requests or unsent charges before their rest is released. Its monitor guards all of them.
 */
final class LeaseLine {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    final LeaseKey key;
    Lease current;
    /** Completes when the reservation in flight for this line is answered: with its failure, or null. */
    CompletableFuture<Throwable> acquiring;
    final List<Lease> retired = new ArrayList<>();
    /** After the ledger granted a lease less than asked, leases are the request's own size until then: credit is short. */
    long exactUntilNanos;

    private long windowStart;
    private int inWindow;
    private int lastRate;

    LeaseLine(LeaseKey key) {
        this.key = key;
    }

    /** Counts a request; the rate is that of the last full second, zero after a quiet second. */
    void count(long nowNanos) {
        if (nowNanos - windowStart >= SECOND) {
            lastRate = nowNanos - windowStart >= 2 * SECOND ? 0 : inWindow;
            windowStart = nowNanos;
            inWindow = 0;
        }
        inWindow++;
    }

    int requestsPerSecond() {
        return Math.max(lastRate, inWindow);
    }
}

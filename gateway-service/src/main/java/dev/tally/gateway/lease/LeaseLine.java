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
    /** Leases whose release is sent and not answered yet: their rest is on its way back to the ledger. */
    final List<Lease> releasing = new ArrayList<>();
    /** After the ledger granted a lease less than asked, leases are the request's own size until then: credit is short. */
    long exactUntilNanos;

    private long windowStart;
    private int inWindow;
    private int lastRate;
    private long lastRequestNanos;
    /** The recent time between two requests (moving average); zero until the second request. */
    private long gapNanos;
    /**
     * The longest recent time between two requests: each gap, or the one before less an eighth, whichever is longer.
     * Requests in bursts (parallel tool calls, a client's threads) average to a gap shorter than the pause between the
     * bursts; this one remembers the pause.
     */
    private long longGapNanos;

    LeaseLine(LeaseKey key) {
        this.key = key;
    }

    /** Counts a request; the rate is that of the last full second, zero after a quiet second. */
    void count(long nowNanos) {
        if (lastRequestNanos != 0) {
            long gap = nowNanos - lastRequestNanos;
            gapNanos = gapNanos == 0 ? gap : (3 * gapNanos + gap) / 4;
            longGapNanos = Math.max(gap, longGapNanos - longGapNanos / 8);
        }
        lastRequestNanos = nowNanos;
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

    /** How many requests its usual gap between requests says this line will make in {@code windowNanos}. */
    long requestsWithin(long windowNanos) {
        return gapNanos == 0 ? 0 : windowNanos / gapNanos;
    }

    /**
     * How long this line's lease may go unused before it is returned: three of its longest recent gaps between
     * requests, so a member asking every few seconds, alone or in bursts, keeps its lease instead of reserving, and
     * releasing, one per request or burst, but never less than {@code least} nor more than {@code most}.
     * {@code least} when credit is short, and for a member whose usual gap is longer than {@code most}: its next
     * request would come after the lease went back anyway, so keeping it would only hold credit for nothing.
     */
    long idleNanos(long least, long most, long nowNanos) {
        if (nowNanos < exactUntilNanos || gapNanos > most) {
            return least;
        }
        return Math.max(least, Math.min(most, 3 * longGapNanos));
    }
}

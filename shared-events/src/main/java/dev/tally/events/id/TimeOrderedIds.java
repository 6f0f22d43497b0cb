package dev.tally.events.id;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered UUIDs (RFC 9562 version 7) for the ids Tally writes into database indexes at the request rate: ledger
 * events, commands, reservations, gateway requests. A random (version 4) id lands on a random page of every btree
 * index that holds it, so each insert dirties a different page and, after each checkpoint, writes that whole page to
 * PostgreSQL's WAL; at a few hundred requests a second that made the analytics and ledger inserts the largest cost in
 * PostgreSQL (docs/benchmarks.md). A time-ordered id lands on the index's last page, as a sequence would, while
 * staying unique across processes without coordination.
 * <p>
 * Layout: 48 bits of Unix milliseconds, the version, 12 bits of a counter that keeps ids of one process strictly
 * increasing within a millisecond (RFC 9562's "fixed bit-length dedicated counter"; on overflow the timestamp runs a
 * millisecond ahead), the variant and 62 random bits. Not secrets: they only need to be unique, never unguessable.
 */
public final class TimeOrderedIds {

    private static final TimeOrderedIds DEFAULT = new TimeOrderedIds(Clock.systemUTC());

    private final Clock clock;
    /** The last id's milliseconds and counter, as {@code millis << 12 | counter}. */
    private final AtomicLong last = new AtomicLong();

    TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    /** A new id, in the canonical 36-character form. */
    public static String next() {
        return DEFAULT.nextUuid().toString();
    }

    UUID nextUuid() {
        long now = clock.millis() << 12;
        long stamp = last.updateAndGet(previous -> Math.max(previous + 1, now));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long low = ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}

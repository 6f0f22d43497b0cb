package dev.tally.governance.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which uses of a key are worth writing down: its first, then each at least {@code resolution} after the last one
 * written. Everything in between would only move {@code last_used_at} by less than the resolution.
 */
final class UsageMarks {

    private final Duration resolution;
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    UsageMarks(Duration resolution) {
        this.resolution = resolution;
    }

    /** Whether a use at {@code at} is to be written; if so, it counts as written from now on (once, across threads). */
    boolean due(String key, Instant at) {
        boolean[] due = {false};
        written.compute(key, (k, last) -> {
            if (last == null || !at.isBefore(last.plus(resolution))) {
                due[0] = true;
                return at;
            }
            return last;
        });
        return due[0];
    }
}

package dev.tally.gateway.policy;

import dev.tally.gateway.error.GatewayException;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests and tokens per minute per member, in fixed one-minute windows on this replica. Limits are per replica:
 * with N replicas behind a balancer a member gets up to N times the limit; budgets, which the ledger enforces,
 * are the hard spending cap. A window counts only in its own minute, so the first request of a new minute sweeps the
 * older windows out: memory holds the members that called in the current minute, not every member ever seen.
 */
@Component
public class RateLimiter {

    private record Window(long minute, AtomicLong requests, AtomicLong tokens) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    /** The minute up to which older windows were swept. */
    private final AtomicLong sweptMinute = new AtomicLong();

    /** Counts the request and its estimated tokens, or refuses with 429 and the seconds until the window turns. */
    public void acquire(String memberId, Integer rpmLimit, Integer tpmLimit, long tokens, long nowMillis) {
        if (rpmLimit == null && tpmLimit == null) {
            return;
        }
        long minute = nowMillis / 60_000;
        long swept = sweptMinute.get();
        if (minute > swept && sweptMinute.compareAndSet(swept, minute)) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window window = windows.compute(memberId, (id, w) -> w == null || w.minute() != minute
                ? new Window(minute, new AtomicLong(), new AtomicLong()) : w);
        long retryAfter = Math.max(1, (minute + 1) * 60 - nowMillis / 1000);
        long requests = window.requests().incrementAndGet();
        if (rpmLimit != null && requests > rpmLimit) {
            window.requests().decrementAndGet();
            throw GatewayException.rateLimited("Rate limit reached: " + rpmLimit + " requests per minute.", retryAfter);
        }
        long used = window.tokens().addAndGet(tokens);
        if (tpmLimit != null && used > tpmLimit) {
            window.tokens().addAndGet(-tokens);
            window.requests().decrementAndGet();
            throw GatewayException.rateLimited("Rate limit reached: " + tpmLimit + " tokens per minute.", retryAfter);
        }
    }

    /** How many windows are held: for the bound's test. */
    int windows() {
        return windows.size();
    }
}

package dev.tally.gateway.pricing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The token counts of texts counted recently, in one encoding. An agent sends its system prompt and the whole
 * conversation so far with every request, so most of a prompt's text was counted before; byte-pair encoding it again
 * was about a tenth of the gateway's CPU (JFR, docs/benchmarks.md). A hit costs the text's hash and one comparison.
 *
 * <p>Bounded by characters, not entries: texts are remembered in the current generation until it holds half of
 * {@code maxChars}, then it becomes the previous one (still read, and a text read there moves back) and the one before
 * is dropped, so at most {@code maxChars} characters are held and the texts in use stay. Short texts are counted
 * every time: they cost little to count and would crowd out the long ones.
 */
final class RecentCounts {

    static final int SHORTEST = 64;

    private final long generationChars;
    private final ToIntFunction<String> counter;
    private final AtomicLong currentChars = new AtomicLong();
    private volatile Map<String, Integer> current = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> previous = Map.of();

    RecentCounts(long maxChars, ToIntFunction<String> counter) {
        this.generationChars = maxChars / 2;
        this.counter = counter;
    }

    int count(String text) {
        if (text.length() < SHORTEST || text.length() > generationChars) {
            return counter.applyAsInt(text);
        }
        Integer known = current.get(text);
        if (known != null) {
            return known;
        }
        known = previous.get(text);
        int count = known != null ? known : counter.applyAsInt(text);
        remember(text, count);
        return count;
    }

    /** Characters held by both generations: at most {@code maxChars}. */
    long heldChars() {
        long held = currentChars.get();
        for (String text : previous.keySet()) {
            held += text.length();
        }
        return held;
    }

    private void remember(String text, int count) {
        Map<String, Integer> generation = current;
        if (generation.putIfAbsent(text, count) == null
                && currentChars.addAndGet(text.length()) > generationChars) {
            synchronized (this) {
                if (current == generation) {
                    // Texts added to the old generation by other threads meanwhile go with it: still bounded, since a
                    // generation takes at most one text past its half per thread, and each text is within a half.
                    previous = generation;
                    current = new ConcurrentHashMap<>();
                    currentChars.set(0);
                }
            }
        }
    }
}

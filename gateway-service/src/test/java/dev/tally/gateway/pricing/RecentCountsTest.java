package dev.tally.gateway.pricing;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RecentCountsTest {

    private final AtomicInteger counted = new AtomicInteger();
    private final RecentCounts counts = new RecentCounts(10_000, text -> {
        counted.incrementAndGet();
        return text.length() / 4;
    });

    @Test
    void a_text_sent_again_is_not_counted_again() {
        String systemPrompt = "You are a careful assistant. ".repeat(20);

        assertThat(counts.count(systemPrompt)).isEqualTo(systemPrompt.length() / 4);
        assertThat(counts.count(new String(systemPrompt))).isEqualTo(systemPrompt.length() / 4);

        assertThat(counted).hasValue(1);
    }

    @Test
    void short_texts_are_counted_every_time() {
        counts.count("Hello!");
        counts.count("Hello!");

        assertThat(counted).hasValue(2);
    }

    @Test
    void a_flood_of_distinct_texts_holds_no_more_than_its_bound() {
        for (int i = 0; i < 10_000; i++) {
            counts.count("distinct prompt number " + i + " ".repeat(100));
        }

        assertThat(counts.heldChars()).isPositive().isLessThanOrEqualTo(10_000 + 200);
    }

    @Test
    void a_text_in_use_stays_while_others_come_and_go() {
        String systemPrompt = "Answer in French. ".repeat(10);
        counts.count(systemPrompt);
        for (int i = 0; i < 1_000; i++) {
            counts.count("question " + i + " ".repeat(100));
            counts.count(systemPrompt);
        }

        assertThat(counted).hasValue(1 + 1_000);
    }
}

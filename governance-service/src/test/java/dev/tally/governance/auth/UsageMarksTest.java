package dev.tally.governance.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UsageMarksTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    private final UsageMarks marks = new UsageMarks(Duration.ofMinutes(1));

    @Test
    void the_first_use_of_a_key_is_written() {
        assertThat(marks.due("api_key:k1", T)).isTrue();
    }

    @Test
    void uses_within_a_minute_of_the_last_written_one_are_not_written() {
        marks.due("api_key:k1", T);

        assertThat(marks.due("api_key:k1", T.plusSeconds(1))).isFalse();
        assertThat(marks.due("api_key:k1", T.plusSeconds(59))).isFalse();
    }

    @Test
    void a_use_a_minute_after_the_last_written_one_is_written_and_starts_the_next_minute() {
        marks.due("api_key:k1", T);

        assertThat(marks.due("api_key:k1", T.plusSeconds(60))).isTrue();
        assertThat(marks.due("api_key:k1", T.plusSeconds(100))).isFalse();
        assertThat(marks.due("api_key:k1", T.plusSeconds(120))).isTrue();
    }

    @Test
    void an_older_use_arriving_late_is_not_written() {
        marks.due("api_key:k1", T);

        assertThat(marks.due("api_key:k1", T.minusSeconds(600))).isFalse();
    }

    @Test
    void each_key_has_its_own_minute() {
        marks.due("api_key:k1", T);

        assertThat(marks.due("api_key:k2", T.plusSeconds(1))).isTrue();
        assertThat(marks.due("admin_key:k1", T.plusSeconds(1))).isTrue();
    }
}

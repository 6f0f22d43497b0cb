package dev.tally.events.id;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T18:00:00.123Z");

    @Test
    void an_id_is_a_version_7_uuid_carrying_the_milliseconds_of_its_making() {
        UUID id = new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC)).nextUuid();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void ids_made_in_one_millisecond_increase_as_text_so_they_land_at_the_end_of_an_index() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.nextUuid().toString());
        }

        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void a_later_millisecond_sorts_after_an_earlier_one_and_a_clock_going_back_does_not_reorder() {
        MovableClock clock = new MovableClock(NOW);
        TimeOrderedIds ids = new TimeOrderedIds(clock);
        String first = ids.nextUuid().toString();
        clock.now = NOW.plusMillis(5);
        String later = ids.nextUuid().toString();
        clock.now = NOW.minusSeconds(1);
        String afterTheClockWentBack = ids.nextUuid().toString();

        assertThat(List.of(first, later, afterTheClockWentBack)).isSorted();
    }

    @Test
    void ids_of_different_processes_in_the_same_millisecond_differ_by_their_random_bits() {
        HashSet<UUID> seen = new HashSet<>();
        for (int process = 0; process < 1_000; process++) {
            seen.add(new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC)).nextUuid());
        }

        assertThat(seen).hasSize(1_000);
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

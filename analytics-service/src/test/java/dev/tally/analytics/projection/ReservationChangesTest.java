package dev.tally.analytics.projection;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poll's reservation events folded into set-wise statements must leave open_reservation exactly as applying them one
 * by one would, whatever the table held before the poll.
 */
class ReservationChangesTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 21, 0, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void a_reservation_opened_and_settled_in_one_poll_leaves_nothing_open() {
        ReservationChanges changes = new ReservationChanges();
        changes.open("r1", "org", 100, T0);
        changes.close("r1");
        assertThat(applied(Map.of(), changes)).isEmpty();
    }

    @Test
    void a_lease_opened_and_charged_in_one_poll_holds_what_its_last_charge_left() {
        ReservationChanges changes = new ReservationChanges();
        changes.open("lease", "org", 1_000, T0);
        changes.holdOnly("lease", 700);
        changes.holdOnly("lease", 500);
        assertThat(applied(Map.of(), changes)).containsExactly(Map.entry("lease", new Row("org", 500, T0)));
    }

    @Test
    void a_charge_of_a_lease_opened_in_an_earlier_poll_updates_it_and_a_repeated_open_changes_nothing() {
        ReservationChanges changes = new ReservationChanges();
        changes.holdOnly("lease", 400);
        changes.open("lease", "org", 1_000, T0.plusSeconds(9));
        Map<String, Row> before = Map.of("lease", new Row("org", 900, T0));
        assertThat(applied(before, changes)).containsExactly(Map.entry("lease", new Row("org", 400, T0)));
    }

    @Test
    void folded_changes_match_the_events_applied_one_by_one() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            Map<String, Row> before = new HashMap<>();
            for (String id : List.of("a", "b")) {
                if (random.nextBoolean()) {
                    before.put(id, new Row("org", random.nextInt(1_000), T0.minusSeconds(random.nextInt(100))));
                }
            }
            Map<String, Row> oneByOne = new HashMap<>(before);
            ReservationChanges changes = new ReservationChanges();
            int events = random.nextInt(7);
            for (int i = 0; i < events; i++) {
                String id = random.nextBoolean() ? "a" : "b";
                long credits = random.nextInt(1_000);
                OffsetDateTime at = T0.plusSeconds(i);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        oneByOne.putIfAbsent(id, new Row("org", credits, at));
                        changes.open(id, "org", credits, at);
                    }
                    case 1 -> {
                        oneByOne.computeIfPresent(id, (k, row) -> new Row(row.org(), credits, row.at()));
                        changes.holdOnly(id, credits);
                    }
                    default -> {
                        oneByOne.remove(id);
                        changes.close(id);
                    }
                }
            }
            assertThat(applied(before, changes)).as("round %d", round).isEqualTo(oneByOne);
        }
    }

    /** What LedgerProjector's three statements do, in their order: delete, update, insert on conflict do nothing. */
    private static Map<String, Row> applied(Map<String, Row> before, ReservationChanges changes) {
        Map<String, Row> table = new HashMap<>(before);
        changes.closes().forEach(table::remove);
        changes.updates().forEach(u -> table.computeIfPresent(u.reservationId(),
                (k, row) -> new Row(row.org(), u.credits(), row.at())));
        changes.openings().forEach(o -> table.putIfAbsent(o.reservationId(),
                new Row(o.orgId(), o.credits(), o.reservedAt())));
        return table;
    }

    private record Row(String org, long credits, OffsetDateTime at) {
    }
}

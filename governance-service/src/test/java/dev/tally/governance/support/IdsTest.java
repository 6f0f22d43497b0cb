package dev.tally.governance.support;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void an_id_is_a_version_7_uuid() {
        assertThat(UUID.fromString(Ids.newId()).version()).isEqualTo(7);
    }

    @Test
    void an_id_has_the_rfc_variant() {
        assertThat(UUID.fromString(Ids.newId()).variant()).isEqualTo(2);
    }

    @Test
    void an_id_is_in_canonical_lower_case_form() {
        assertThat(Ids.newId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void the_first_48_bits_are_the_creation_millisecond() {
        long before = System.currentTimeMillis();
        String id = Ids.newId();
        long after = System.currentTimeMillis();

        assertThat(millis(id)).isBetween(before, after);
    }

    @Test
    void an_id_of_a_later_millisecond_sorts_after_an_earlier_one() {
        String first = Ids.newId();
        long firstMillis = millis(first);
        while (System.currentTimeMillis() <= firstMillis) {
            Thread.onSpinWait();
        }
        String second = Ids.newId();

        assertThat(millis(second)).isGreaterThan(firstMillis);
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void two_ids_of_the_same_millisecond_differ() {
        assertThat(Ids.newId()).isNotEqualTo(Ids.newId());
    }

    private static long millis(String id) {
        return UUID.fromString(id).getMostSignificantBits() >>> 16;
    }
}

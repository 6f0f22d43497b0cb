package dev.tally.servicekit.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyHashTest {

    @Test
    void a_key_hashes_to_the_lower_case_hex_sha256_of_the_whole_key_as_governance_stores_it() {
        // printf tadm_test | sha256sum
        assertThat(KeyHash.of("tadm_test"))
                .isEqualTo("6502c2c22a6a636f56c230367c4c4e4fac8abfd9a1d9323f4caa260e54070270");
        // printf cpk_test | sha256sum
        assertThat(KeyHash.of("cpk_test"))
                .isEqualTo("40b11b6e267c6e1cb432ff2825e0ee69e9f30c023ad3383515ab0add4b323e2c");
    }

    @Test
    void the_prefix_is_part_of_what_is_hashed() {
        assertThat(KeyHash.of("cpk_abc")).isNotEqualTo(KeyHash.of("tadm_abc"));
    }
}

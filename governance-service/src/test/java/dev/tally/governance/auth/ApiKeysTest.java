package dev.tally.governance.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {

    @Test
    void a_gateway_key_starts_with_cpk_() {
        assertThat(ApiKeys.newGatewayKey()).startsWith("cpk_");
    }

    @Test
    void an_admin_key_starts_with_tadm_() {
        assertThat(ApiKeys.newAdminKey()).startsWith("tadm_");
    }

    @Test
    void the_random_part_is_256_bits_of_url_safe_base64_without_padding() {
        String random = ApiKeys.newGatewayKey().substring("cpk_".length());

        assertThat(random).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(random)).hasSize(32);
    }

    @Test
    void the_random_part_of_an_admin_key_is_256_bits() {
        String random = ApiKeys.newAdminKey().substring("tadm_".length());

        assertThat(Base64.getUrlDecoder().decode(random)).hasSize(32);
    }

    @Test
    void two_new_keys_differ() {
        assertThat(ApiKeys.newGatewayKey()).isNotEqualTo(ApiKeys.newGatewayKey());
    }

    @Test
    void the_hash_is_the_lower_case_hex_sha_256_of_the_whole_key() {
        // printf cpk_test | sha256sum
        assertThat(ApiKeys.hash("cpk_test"))
                .isEqualTo("40b11b6e267c6e1cb432ff2825e0ee69e9f30c023ad3383515ab0add4b323e2c");
    }

    @Test
    void the_hash_covers_the_prefix() {
        assertThat(ApiKeys.hash("cpk_abc")).isNotEqualTo(ApiKeys.hash("tadm_abc"));
    }

    @Test
    void the_suffix_is_the_last_eight_characters() {
        assertThat(ApiKeys.suffix("cpk_0123456789abcdef")).isEqualTo("89abcdef");
    }

    @Test
    void the_suffix_of_a_new_key_ends_it() {
        String key = ApiKeys.newGatewayKey();

        assertThat(key).endsWith(ApiKeys.suffix(key));
        assertThat(ApiKeys.suffix(key)).hasSize(8);
    }
}

package dev.tally.servicekit.secret;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealerTest {

    private static final String KEY = key(32);

    private static final String VARIABLE = "TALLY_CREDENTIAL_KEY";

    private final SecretSealer sealer = new SecretSealer(VARIABLE, KEY);

    /**
     * Values sealed by the ciphers this class replaced, governance's CredentialCipher and notification's SecretCipher,
     * under {@link #OLD_KEY}: databases hold such values, so they must open for ever.
     */
    private static final String OLD_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String SEALED_BY_CREDENTIAL_CIPHER =
            "4lDglher7CJUrrulgIVTWEaGlIFX0zIffhJIYjFrgiUglF9x+iH7NTAkDObbutQ6zg==";
    private static final String SEALED_BY_SECRET_CIPHER =
            "uNXS1Up91+kga4qtFiyjrc8LR7P2GGw6fYFlF7I9fLjpXCYqr8PHQ+Qzbb3NtsV0o581sbOaMSpG+I8SFw==";

    @Test
    void a_credential_sealed_by_governances_old_cipher_opens() {
        assertThat(new SecretSealer(VARIABLE, OLD_KEY).open("cred-legacy", SEALED_BY_CREDENTIAL_CIPHER))
                .isEqualTo("sk-live-äöü-legacy");
    }

    @Test
    void a_channel_secret_sealed_by_notifications_old_cipher_opens() {
        assertThat(new SecretSealer(VARIABLE, OLD_KEY).open("ch-legacy", SEALED_BY_SECRET_CIPHER))
                .isEqualTo("https://hooks.example/secret-path");
    }

    @Test
    void a_secret_opens_to_what_was_sealed() {
        String sealed = sealer.seal("cred-1", "sk-live-äöü-secret");

        assertThat(sealer.open("cred-1", sealed)).isEqualTo("sk-live-äöü-secret");
    }

    @Test
    void a_sealed_value_names_its_key_id_before_the_base64() {
        assertThat(sealer.seal("cred-1", "sk-live-secret")).matches("0:[A-Za-z0-9+/=]+");
        assertThat(new SecretSealer(VARIABLE, "k2:" + KEY).seal("cred-1", "sk-live-secret")).startsWith("k2:");
    }

    @Test
    void a_bare_value_written_before_key_ids_is_read_as_key_id_0() {
        assertThat(SecretSealer.keyIdOf(SEALED_BY_CREDENTIAL_CIPHER)).isEqualTo("0");
        assertThat(new SecretSealer(VARIABLE, "0:" + OLD_KEY + ",1:" + KEY, "1")
                .open("cred-legacy", SEALED_BY_CREDENTIAL_CIPHER)).isEqualTo("sk-live-äöü-legacy");
    }

    @Test
    void after_rotation_values_of_both_keys_open_and_resealing_moves_all_to_the_new_key_so_the_old_can_go() {
        String keyA = key(32);
        String keyB = key(32);
        String underA = new SecretSealer(VARIABLE, "a:" + keyA).seal("cred-1", "sk-first");

        SecretSealer rotated = new SecretSealer(VARIABLE, "a:" + keyA + ",b:" + keyB, "b");
        String underB = rotated.seal("cred-2", "sk-second");
        assertThat(underB).startsWith("b:");
        assertThat(rotated.open("cred-1", underA)).isEqualTo("sk-first");
        assertThat(rotated.open("cred-2", underB)).isEqualTo("sk-second");

        String resealedA = rotated.reseal("cred-1", underA);
        assertThat(resealedA).startsWith("b:");
        assertThat(rotated.reseal("cred-2", underB)).isSameAs(underB);
        assertThat(rotated.isCurrent(resealedA)).isTrue();

        SecretSealer withoutA = new SecretSealer(VARIABLE, "b:" + keyB);
        assertThat(withoutA.open("cred-1", resealedA)).isEqualTo("sk-first");
        assertThat(withoutA.open("cred-2", underB)).isEqualTo("sk-second");
        assertThatThrownBy(() -> withoutA.open("cred-1", underA))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key id 'a'")
                .hasMessageContaining("TALLY_CREDENTIAL_KEY");
    }

    @Test
    void several_keys_without_a_current_one_are_refused_naming_the_setting() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, "a:" + key(32) + ",b:" + key(32)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY_CURRENT");
    }

    @Test
    void a_current_key_id_that_is_not_configured_is_refused() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, "a:" + key(32), "b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'b'");
    }

    @Test
    void a_key_id_given_twice_or_malformed_is_refused() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, "a:" + key(32) + ",a:" + key(32), "a"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, "a b:" + key(32)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("key id");
    }

    @Test
    void the_sealed_value_does_not_contain_the_plaintext() {
        String sealed = sealer.seal("cred-1", "sk-live-secret");

        assertThat(sealed).doesNotContain("sk-live-secret");
        assertThat(new String(Base64.getDecoder().decode(sealed.substring(2)), StandardCharsets.ISO_8859_1))
                .doesNotContain("sk-live-secret");
    }

    @Test
    void two_seals_of_the_same_plaintext_differ() {
        assertThat(sealer.seal("cred-1", "sk-live-secret")).isNotEqualTo(sealer.seal("cred-1", "sk-live-secret"));
    }

    @Test
    void a_value_opens_under_a_second_sealer_with_the_same_key() {
        String sealed = sealer.seal("cred-1", "sk-live-secret");

        assertThat(new SecretSealer(VARIABLE, KEY).open("cred-1", sealed)).isEqualTo("sk-live-secret");
    }

    @Test
    void a_value_moved_to_another_owner_does_not_open() {
        String sealed = sealer.seal("cred-1", "sk-live-secret");

        assertThatThrownBy(() -> sealer.open("cred-2", sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cred-2");
    }

    @Test
    void a_tampered_value_does_not_open() {
        byte[] bytes = Base64.getDecoder().decode(sealer.seal("cred-1", "sk-live-secret").substring(2));
        bytes[14] ^= 0x01;
        String tampered = "0:" + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> sealer.open("cred-1", tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_value_that_is_not_base64_or_too_short_does_not_open() {
        assertThatThrownBy(() -> sealer.open("cred-1", "not base64!")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer.open("cred-1", "AAAA")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_value_does_not_open_under_another_key() {
        String sealed = sealer.seal("cred-1", "sk-live-secret");

        assertThatThrownBy(() -> new SecretSealer(VARIABLE, key(32)).open("cred-1", sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_key_that_is_not_base64_is_refused_naming_the_variable() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, "not base64 at all!"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY")
                .hasMessageContaining("base64");
    }

    @Test
    void a_key_that_is_not_32_bytes_is_refused_naming_the_variable_and_the_length() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, key(16)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY")
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("16");
    }

    @Test
    void a_key_with_surrounding_whitespace_is_accepted() {
        assertThat(new SecretSealer(VARIABLE, "  " + KEY + "\n").configured()).isTrue();
    }

    @Test
    void no_key_or_a_blank_one_leaves_the_sealer_unconfigured() {
        assertThat(sealer.configured()).isTrue();
        assertThat(new SecretSealer(VARIABLE, null).configured()).isFalse();
        assertThat(new SecretSealer(VARIABLE, "   ").configured()).isFalse();
    }

    @Test
    void sealing_without_a_key_is_refused_naming_the_variable() {
        assertThatThrownBy(() -> new SecretSealer(VARIABLE, null).seal("cred-1", "sk-live-secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY");
    }

    private static String key(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}

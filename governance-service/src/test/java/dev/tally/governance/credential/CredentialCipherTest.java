package dev.tally.governance.credential;

import dev.tally.governance.GovernanceSettings;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialCipherTest {

    private static final String KEY = key(32);

    private final CredentialCipher cipher = new CredentialCipher(settings(KEY));

    @Test
    void a_credential_decrypts_to_what_was_encrypted() {
        String sealed = cipher.encrypt("cred-1", "sk-live-äöü-secret");

        assertThat(cipher.decrypt("cred-1", sealed)).isEqualTo("sk-live-äöü-secret");
    }

    @Test
    void the_ciphertext_does_not_contain_the_plaintext() {
        String sealed = cipher.encrypt("cred-1", "sk-live-secret");

        assertThat(sealed).doesNotContain("sk-live-secret");
        assertThat(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("sk-live-secret");
    }

    @Test
    void two_encryptions_of_the_same_plaintext_differ() {
        assertThat(cipher.encrypt("cred-1", "sk-live-secret")).isNotEqualTo(cipher.encrypt("cred-1", "sk-live-secret"));
    }

    @Test
    void a_ciphertext_decrypts_under_a_second_cipher_with_the_same_key() {
        String sealed = cipher.encrypt("cred-1", "sk-live-secret");

        assertThat(new CredentialCipher(settings(KEY)).decrypt("cred-1", sealed)).isEqualTo("sk-live-secret");
    }

    @Test
    void a_ciphertext_moved_to_another_credential_does_not_decrypt() {
        String sealed = cipher.encrypt("cred-1", "sk-live-secret");

        assertThatThrownBy(() -> cipher.decrypt("cred-2", sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cred-2");
    }

    @Test
    void a_tampered_ciphertext_does_not_decrypt() {
        byte[] bytes = Base64.getDecoder().decode(cipher.encrypt("cred-1", "sk-live-secret"));
        bytes[14] ^= 0x01;
        String tampered = Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> cipher.decrypt("cred-1", tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_ciphertext_does_not_decrypt_under_another_key() {
        String sealed = cipher.encrypt("cred-1", "sk-live-secret");
        CredentialCipher other = new CredentialCipher(settings(key(32)));

        assertThatThrownBy(() -> other.decrypt("cred-1", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_key_that_is_not_base64_is_refused_naming_the_variable() {
        assertThatThrownBy(() -> new CredentialCipher(settings("not base64 at all!")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY")
                .hasMessageContaining("base64");
    }

    @Test
    void a_key_that_is_not_32_bytes_is_refused_naming_the_variable_and_the_length() {
        assertThatThrownBy(() -> new CredentialCipher(settings(key(16))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY")
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("16");
    }

    @Test
    void a_key_with_surrounding_whitespace_is_accepted() {
        assertThat(new CredentialCipher(settings("  " + KEY + "\n")).configured()).isTrue();
    }

    @Test
    void a_32_byte_key_makes_the_cipher_configured() {
        assertThat(cipher.configured()).isTrue();
    }

    @Test
    void no_key_leaves_the_cipher_unconfigured() {
        assertThat(new CredentialCipher(settings(null)).configured()).isFalse();
    }

    @Test
    void a_blank_key_leaves_the_cipher_unconfigured() {
        assertThat(new CredentialCipher(settings("   ")).configured()).isFalse();
    }

    @Test
    void encrypting_without_a_key_is_refused_naming_the_variable() {
        CredentialCipher unconfigured = new CredentialCipher(settings(null));

        assertThatThrownBy(() -> unconfigured.encrypt("cred-1", "sk-live-secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TALLY_CREDENTIAL_KEY");
    }

    private static GovernanceSettings settings(String credentialKey) {
        return new GovernanceSettings(null, credentialKey, null, null, null, null, 0);
    }

    private static String key(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}

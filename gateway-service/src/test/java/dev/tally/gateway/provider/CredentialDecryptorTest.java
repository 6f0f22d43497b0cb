package dev.tally.gateway.provider;

import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.servicekit.secret.SecretSealer;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialDecryptorTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key = random(32);
    private final String base64Key = Base64.getEncoder().encodeToString(key);

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Seals as governance did before key ids: base64(nonce(12) || ciphertext || tag), the credential id as associated
     * data; the state topic still holds such values, which are key id "0".
     */
    private static String seal(byte[] key, String credentialId, String secret) throws Exception {
        byte[] nonce = random(12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(credentialId.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed)
                .array());
    }

    private static CredentialState credential(String id, String ciphertext) {
        return new CredentialState(id, "org-1", "openai", "prod", ciphertext, "wxyz", KeyStatus.ACTIVE,
                Instant.EPOCH);
    }

    @Test
    void opens_what_was_sealed_for_the_credential_id() throws Exception {
        String sealed = seal(key, "cred-1", "sk-live-secret-wxyz");

        assertThat(new CredentialDecryptor(base64Key).open(credential("cred-1", sealed)))
                .isEqualTo("sk-live-secret-wxyz");
    }

    @Test
    void a_ciphertext_moved_to_another_credential_id_does_not_open() throws Exception {
        String sealed = seal(key, "cred-1", "sk-live-secret-wxyz");

        assertThatThrownBy(() -> new CredentialDecryptor(base64Key).open(credential("cred-2", sealed)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cred-2");
    }

    @Test
    void another_key_does_not_open_it() throws Exception {
        String sealed = seal(random(32), "cred-1", "sk-live-secret-wxyz");

        assertThatThrownBy(() -> new CredentialDecryptor(base64Key).open(credential("cred-1", sealed)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_tampered_ciphertext_does_not_open() throws Exception {
        byte[] sealed = Base64.getDecoder().decode(seal(key, "cred-1", "sk-live-secret-wxyz"));
        sealed[14] ^= 1;

        assertThatThrownBy(() -> new CredentialDecryptor(base64Key)
                .open(credential("cred-1", Base64.getEncoder().encodeToString(sealed))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_credential_sealed_under_a_retiring_key_still_opens_while_both_keys_are_configured() {
        String retiring = Base64.getEncoder().encodeToString(random(32));
        String sealed = new SecretSealer("TALLY_CREDENTIAL_KEY", "old:" + retiring).seal("cred-1", "sk-live-wxyz");

        assertThat(new CredentialDecryptor("old:" + retiring + ",new:" + base64Key, "new")
                .open(credential("cred-1", sealed))).isEqualTo("sk-live-wxyz");
    }

    @Test
    void a_configured_key_is_configured() {
        assertThat(new CredentialDecryptor(base64Key).configured()).isTrue();
    }

    @Test
    void no_key_is_not_configured() {
        assertThat(new CredentialDecryptor(null).configured()).isFalse();
        assertThat(new CredentialDecryptor("  ").configured()).isFalse();
    }

    @Test
    void a_key_that_is_not_32_bytes_is_refused() {
        String shortKey = Base64.getEncoder().encodeToString(random(16));

        assertThatThrownBy(() -> new CredentialDecryptor(shortKey)).isInstanceOf(IllegalStateException.class);
    }
}

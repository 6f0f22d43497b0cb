package dev.tally.notification.channel;

import dev.tally.notification.NotificationSettings;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Channel secrets exactly like governance's BYOK credentials: AES-256-GCM under {@code TALLY_CREDENTIAL_KEY}, base64
 * of {@code nonce(12) || ciphertext || tag(16)}, with the channel id as associated data so a ciphertext cannot be
 * moved to another channel. Without a key nothing is stored: a temporary key would make every secret unreadable
 * after a restart.
 */
@Component
public class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKeySpec> key;

    public SecretCipher(NotificationSettings settings) {
        this.key = parse(settings.credentialKey());
    }

    public boolean configured() {
        return key.isPresent();
    }

    public String encrypt(String channelId, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, channelId);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String channelId, String ciphertext) {
        byte[] all = Base64.getDecoder().decode(ciphertext);
        byte[] nonce = new byte[NONCE_BYTES];
        System.arraycopy(all, 0, nonce, 0, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, channelId);
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("channel " + channelId + " cannot be decrypted with this key", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String channelId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.orElseThrow(() -> new IllegalStateException("TALLY_CREDENTIAL_KEY is not set")),
                new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(channelId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    static Optional<SecretKeySpec> parse(String base64) {
        if (base64 == null || base64.isBlank()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TALLY_CREDENTIAL_KEY is not base64; create one with: openssl rand -base64 32");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("TALLY_CREDENTIAL_KEY must be 32 bytes (AES-256), not " + bytes.length
                    + "; create one with: openssl rand -base64 32");
        }
        return Optional.of(new SecretKeySpec(bytes, "AES"));
    }
}

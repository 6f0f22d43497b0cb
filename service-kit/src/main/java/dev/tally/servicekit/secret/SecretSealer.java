package dev.tally.servicekit.secret;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Secrets a service must keep and use again (governance's BYOK provider credentials, notification channels' webhook
 * secrets and bot tokens): AES-256-GCM under {@code TALLY_CREDENTIAL_KEY} (base64 of 32 bytes).
 *
 * <p>A sealed value is base64 of {@code nonce(12) || ciphertext || tag(16)}, with a random nonce per value and the
 * owner's id (the credential's, the channel's) as associated data, so a sealed value copied onto another row does not
 * open. This is byte for byte what governance's and notification's ciphers wrote before, so every stored value opens.
 *
 * <p>Room for key rotation: standard base64 never contains {@code ':'}, so a later format can write
 * {@code <key-id>:<base64 of the same layout>} and tell itself apart from this one; a value without {@code ':'} stays
 * "sealed under the one configured key". Nothing stored today would need rewriting to introduce key ids.
 *
 * <p>Without a key nothing can be sealed: a temporary key would make every stored secret unreadable after a restart.
 */
public final class SecretSealer {

    public static final String KEY_VARIABLE = "TALLY_CREDENTIAL_KEY";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKeySpec> key;

    /** @param base64Key the key as configured; null or blank for none */
    public SecretSealer(String base64Key) {
        this.key = parse(base64Key);
    }

    public boolean configured() {
        return key.isPresent();
    }

    /** @param ownerId the id of what the secret belongs to; the same id must be given to {@link #open} */
    public String seal(String ownerId, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, ownerId)
                    .doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /** @throws IllegalStateException when the value is not one this key sealed for {@code ownerId} */
    public String open(String ownerId, String sealed) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret of " + ownerId + " is not a sealed value", e);
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the secret of " + ownerId + " is too short to be a sealed value");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(all, NONCE_BYTES), ownerId);
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret of " + ownerId + " cannot be opened with this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String ownerId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.orElseThrow(() -> new IllegalStateException(KEY_VARIABLE + " is not set")),
                new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static Optional<SecretKeySpec> parse(String base64) {
        if (base64 == null || base64.isBlank()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY_VARIABLE + " is not base64; create one with: openssl rand -base64 32");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(KEY_VARIABLE + " must be 32 bytes (AES-256), not " + bytes.length
                    + "; create one with: openssl rand -base64 32");
        }
        return Optional.of(new SecretKeySpec(bytes, "AES"));
    }
}

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Secrets a service must keep and use again (governance's BYOK provider credentials, notification channels' webhook
 * secrets and bot tokens): AES-256-GCM under one of several configured keys, each with an id. One key is current and
 * seals; every configured key opens, so keys can be rotated without making stored values unreadable.
 *
 * <p>A sealed value is {@code <key-id>:<base64 of nonce(12) || ciphertext || tag(16)>}, with a random nonce per value
 * and the owner's id (the credential's, the channel's) as associated data, so a sealed value copied onto another row
 * does not open. Values written before key ids existed are the bare base64 (standard base64 never contains
 * {@code ':'}): they were sealed under the one key configured then, which is key id {@value #LEGACY_KEY_ID}.
 *
 * <p>The keys are configured as one setting: a bare base64 key (key id {@value #LEGACY_KEY_ID}, as every deployment
 * configured it before rotation existed) or comma-separated {@code <key-id>:<base64>} entries, plus the id of the
 * current key, which may be omitted when there is only one.
 *
 * <p>Without a key nothing can be sealed: a temporary key would make every stored secret unreadable after a restart.
 */
public final class SecretSealer {

    /** The key id of values sealed before key ids existed, and of a key configured without an id. */
    public static final String LEGACY_KEY_ID = "0";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyVariable;
    private final Map<String, SecretKeySpec> keys;
    private final String currentId;

    /** One key, no rotation: kept for callers that configure a single key under {@code keyVariable}. */
    public SecretSealer(String keyVariable, String keys) {
        this(keyVariable, keys, null);
    }

    /**
     * @param keyVariable the setting the keys come from, named in every error (e.g. {@code TALLY_CREDENTIAL_KEY})
     * @param keys        a bare base64 key, or comma-separated {@code <key-id>:<base64>}; null or blank for none
     * @param currentId   the id of the key that seals; may be blank when there is exactly one key
     */
    public SecretSealer(String keyVariable, String keys, String currentId) {
        this.keyVariable = keyVariable;
        this.keys = parse(keyVariable, keys);
        this.currentId = current(keyVariable, this.keys, currentId);
    }

    public boolean configured() {
        return currentId != null;
    }

    /** The setting the keys come from, for messages that tell an operator what to set. */
    public String keyVariable() {
        return keyVariable;
    }

    public String currentKeyId() {
        return currentId;
    }

    /** The id of the key a stored value was sealed under, read from its prefix; it need not be configured. */
    public static String keyIdOf(String sealed) {
        int colon = sealed.indexOf(':');
        return colon < 0 ? LEGACY_KEY_ID : sealed.substring(0, colon);
    }

    /** True when the value was sealed under the current key, so re-sealing it would change nothing. */
    public boolean isCurrent(String sealed) {
        return configured() && keyIdOf(sealed).equals(currentId);
    }

    /** @param ownerId the id of what the secret belongs to; the same id must be given to {@link #open} */
    public String seal(String ownerId, String plaintext) {
        if (!configured()) {
            throw new IllegalStateException(keyVariable + " is not set");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, ownerId)
                    .doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return currentId + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /** @throws IllegalStateException when the value is not one a configured key sealed for {@code ownerId} */
    public String open(String ownerId, String sealed) {
        String keyId = keyIdOf(sealed);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("the secret of " + ownerId + " was sealed under key id '" + keyId
                    + "', which " + keyVariable + " does not hold");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed.substring(sealed.indexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret of " + ownerId + " is not a sealed value", e);
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the secret of " + ownerId + " is too short to be a sealed value");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(all, NONCE_BYTES), ownerId);
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret of " + ownerId + " cannot be opened with key id '" + keyId
                    + "'", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }

    /** The value sealed again under the current key; a value already under it comes back unchanged. */
    public String reseal(String ownerId, String sealed) {
        return isCurrent(sealed) ? sealed : seal(ownerId, open(ownerId, sealed));
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String ownerId)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static Map<String, SecretKeySpec> parse(String variable, String spec) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return keys;
        }
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String id = colon < 0 ? LEGACY_KEY_ID : trimmed.substring(0, colon).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException(variable + ": key id '" + id
                        + "' must be 1-32 letters, digits, '.', '_' or '-'");
            }
            if (keys.put(id, key(variable, id, trimmed.substring(colon + 1).strip())) != null) {
                throw new IllegalStateException(variable + ": key id '" + id + "' is given twice");
            }
        }
        return keys;
    }

    private static SecretKeySpec key(String variable, String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + ": key '" + id
                    + "' is not base64; create one with: openssl rand -base64 32");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(variable + ": key '" + id + "' must be 32 bytes (AES-256), not "
                    + bytes.length + "; create one with: openssl rand -base64 32");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static String current(String variable, Map<String, SecretKeySpec> keys, String requested) {
        if (requested != null && !requested.isBlank()) {
            String id = requested.strip();
            if (!keys.containsKey(id)) {
                throw new IllegalStateException(variable + "_CURRENT is '" + id + "', but " + variable
                        + " has no key with that id (it has " + (keys.isEmpty() ? "none" : keys.keySet()) + ")");
            }
            return id;
        }
        if (keys.size() > 1) {
            throw new IllegalStateException(variable + " holds several keys " + keys.keySet() + ": set "
                    + variable + "_CURRENT to the id of the one that seals new values");
        }
        return keys.isEmpty() ? null : keys.keySet().iterator().next();
    }
}

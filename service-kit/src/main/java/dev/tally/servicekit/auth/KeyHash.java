package dev.tally.servicekit.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The lookup form of every Tally key, admin ({@code tadm_}) and gateway ({@code cpk_}) alike: lower-case hex SHA-256
 * of the whole key, prefix included. Governance stores only this and publishes it on tally.governance.state; the other
 * services find a key by it, so the plaintext never leaves the request that carries it.
 */
public final class KeyHash {

    private KeyHash() {
    }

    public static String of(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

package dev.tally.governance.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Key material: 256 random bits behind a prefix that says what the key is for; only the SHA-256 is ever stored. */
public final class ApiKeys {

    public static final String GATEWAY_PREFIX = "cpk_";
    public static final String ADMIN_PREFIX = "tadm_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String newGatewayKey() {
        return GATEWAY_PREFIX + randomPart();
    }

    public static String newAdminKey() {
        return ADMIN_PREFIX + randomPart();
    }

    /** Lower-case hex SHA-256 of the whole key, prefix included: what gateways look keys up by. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The last eight characters, so a person can tell keys apart in a listing. */
    public static String suffix(String key) {
        return key.substring(key.length() - 8);
    }

    private static String randomPart() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

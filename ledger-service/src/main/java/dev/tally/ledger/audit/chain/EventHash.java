package dev.tally.ledger.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain over a ledger's events: each event's hash is SHA-256 over the previous event's hash (32 zero bytes
 * before the first event), then {@code ledgerId \n sequence \n eventId \n ceType \n}, then the event's JSON exactly as
 * stored and published. Editing, removing or reordering an event changes its hash and every later one, so the first
 * hash that no longer matches names where history was changed. One digest per event: cheap enough for the command
 * path.
 */
public final class EventHash {

    /** The "previous hash" of a ledger's first event. */
    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private EventHash() {
    }

    public static String of(String previousHash, String ledgerId, long sequence, String eventId, String ceType,
            byte[] payload) {
        MessageDigest sha256 = sha256();
        sha256.update(HEX.parseHex(previousHash));
        String header = ledgerId + "\n" + sequence + "\n" + eventId + "\n" + ceType + "\n";
        sha256.update(header.getBytes(StandardCharsets.UTF_8));
        sha256.update(payload);
        return HEX.formatHex(sha256.digest());
    }

    /** True when {@code value} has the form of a hash (64 lowercase hex digits). */
    public static boolean isHash(String value) {
        return value != null && value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0
                && !Character.isUpperCase(c));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.tally.notification.support;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered ids (UUIDv7), so rows sort by creation and ids reveal nothing guessable. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFF);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return prefix + new UUID(high, low);
    }
}

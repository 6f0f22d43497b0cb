package dev.tally.governance.auth;

import dev.tally.governance.web.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * When keys stop working: the expiry a key may be given at creation, and the grace a rotated key keeps so that
 * whatever uses it can switch to its successor.
 */
public final class KeyLifetime {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    /** A rotation is a replacement, not a second key: a week is time enough to roll the new key out. */
    public static final Duration MAX_GRACE = Duration.ofDays(7);

    private KeyLifetime() {
    }

    /** A new key's {@code expires_at}: null for a key that never expires; the past is refused. */
    public static Instant expiresAt(String value, Instant now) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("expires_at", "must be an ISO-8601 date-time with a time zone offset, such as "
                    + "2027-01-31T00:00:00Z");
        }
        if (!at.isAfter(now)) {
            throw ApiException.invalid("expires_at", "must be in the future");
        }
        return at;
    }

    /** Until when a rotated key keeps working: {@code grace_seconds} from now (0 ends it at once). */
    public static Instant graceDeadline(Long graceSeconds, Instant now) {
        long seconds = graceSeconds == null ? DEFAULT_GRACE.toSeconds() : graceSeconds;
        if (seconds < 0 || seconds > MAX_GRACE.toSeconds()) {
            throw ApiException.invalid("grace_seconds", "must be between 0 and " + MAX_GRACE.toSeconds()
                    + " (7 days)");
        }
        return now.plusSeconds(seconds);
    }

    /** The rotated key's expiry: the grace deadline, unless the key was going to expire sooner anyway. */
    public static Instant afterRotation(Instant expiresAt, Instant graceDeadline) {
        return expiresAt != null && expiresAt.isBefore(graceDeadline) ? expiresAt : graceDeadline;
    }

    public static boolean expired(Instant expiresAt, Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}

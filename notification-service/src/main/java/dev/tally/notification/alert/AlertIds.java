package dev.tally.notification.alert;

import dev.tally.events.alert.AlertKind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * Alert ids derived from what the alert reports, never from when it was seen: the same threshold of the same budget
 * window gives the same id on every replay, so it is delivered once.
 */
public final class AlertIds {

    private AlertIds() {
    }

    public static String budgetThreshold(String orgId, String budgetId, LocalDate windowStart, int percent) {
        return of(AlertKind.BUDGET_THRESHOLD, orgId, budgetId, windowStart.toString(), Integer.toString(percent));
    }

    public static String budgetExhausted(String orgId, String budgetId, LocalDate windowStart) {
        return of(AlertKind.BUDGET_EXHAUSTED, orgId, budgetId, windowStart.toString());
    }

    public static String creditOverdrawn(String orgId, String reservationId, String requestId) {
        return of(AlertKind.CREDIT_OVERDRAWN, orgId, reservationId, requestId);
    }

    public static String reservationsRefused(String orgId, Instant windowStart) {
        return of(AlertKind.RESERVATIONS_REFUSED, orgId, windowStart.toString());
    }

    public static String memberOnVacation(String orgId, String memberId, Instant since) {
        return of(AlertKind.MEMBER_ON_VACATION, orgId, memberId, since.toString());
    }

    public static String approval(AlertKind kind, String orgId, String approvalId, String status) {
        return of(kind, orgId, approvalId, status);
    }

    static String of(AlertKind kind, String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8));
            return "alr-" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-"
                    + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

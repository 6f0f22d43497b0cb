package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;

import java.time.Instant;

/**
 * An alert as recorded, with what became of it.
 *
 * @param suppressed why nothing was sent (no channel receives it, too old on arrival); null when deliveries exist
 */
public record StoredAlert(Alert alert, Instant receivedAt, String source, String suppressed, Integer escalationLevel,
        Instant nextEscalationAt, String acknowledgedBy, Instant acknowledgedAt, String acknowledgementNote) {

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}

package dev.tally.notification.channel;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.quiet.QuietHours;

import java.time.Instant;
import java.util.Map;

/**
 * Where an organisation's alerts go.
 *
 * @param settings        what the kind needs that is not secret (chat id, webhook URL, SMTP host, recipients)
 * @param secret          the encrypted secret (webhook URL with its token, bot token, signing secret, SMTP password)
 * @param escalationLevel 0 hears of every matching alert; level n+1 hears of a CRITICAL alert still unacknowledged
 *                        after the escalation delay at level n
 * @param quietHours      null when the channel is never quiet
 */
public record Channel(String id, String orgId, String name, ChannelKind kind, ChannelScope scopeLevel, String scopeId,
        Map<String, String> settings, String secret, String secretHint, AlertSeverity minSeverity,
        int escalationLevel, QuietHours quietHours, Instant createdAt, Instant updatedAt, Instant deletedAt) {

    public boolean receives(Alert alert) {
        if (deletedAt != null || alert.severity().compareTo(minSeverity) < 0) {
            return false;
        }
        return switch (scopeLevel) {
            case ORG -> true;
            case BUDGET -> scopeId.equals(alert.budgetId());
            case GROUP -> scopeId.equals(alert.groupId());
        };
    }

    public String setting(String name) {
        return settings.get(name);
    }
}

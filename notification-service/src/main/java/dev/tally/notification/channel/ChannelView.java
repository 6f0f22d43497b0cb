package dev.tally.notification.channel;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.notification.quiet.QuietHours;

import java.time.Instant;
import java.util.Map;

/**
 * A channel as the API shows it: settings, never the secret; only its last characters as a hint.
 *
 * @param signingSecret a generated webhook signing secret, in the creation response only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelView(String id, String orgId, String name, ChannelKind kind, ChannelScope scopeLevel,
        String scopeId, String minSeverity, int escalationLevel, QuietHoursView quietHours,
        Map<String, String> settings, String secretHint, String signingSecret, Instant createdAt, Instant updatedAt) {

    public record QuietHoursView(String start, String end, String zone) {
    }

    public static ChannelView of(Channel c, String signingSecret) {
        QuietHours q = c.quietHours();
        return new ChannelView(c.id(), c.orgId(), c.name(), c.kind(), c.scopeLevel(), c.scopeId(),
                c.minSeverity().name(), c.escalationLevel(),
                q == null ? null : new QuietHoursView(q.start().toString(), q.end().toString(), q.zone().getId()),
                c.settings(), c.secretHint(), signingSecret, c.createdAt(), c.updatedAt());
    }
}

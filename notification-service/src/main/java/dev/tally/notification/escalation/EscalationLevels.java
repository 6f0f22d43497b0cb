package dev.tally.notification.escalation;

import dev.tally.events.alert.Alert;
import dev.tally.notification.channel.Channel;

import java.util.List;
import java.util.OptionalInt;

/** The escalation levels among an organisation's channels that receive an alert. */
public final class EscalationLevels {

    private EscalationLevels() {
    }

    public static OptionalInt first(Alert alert, List<Channel> channels) {
        return channels.stream().filter(c -> c.receives(alert)).mapToInt(Channel::escalationLevel).min();
    }

    public static OptionalInt after(Alert alert, List<Channel> channels, int level) {
        return channels.stream().filter(c -> c.receives(alert)).mapToInt(Channel::escalationLevel)
                .filter(l -> l > level).min();
    }

    public static List<Channel> at(Alert alert, List<Channel> channels, int level) {
        return channels.stream().filter(c -> c.receives(alert) && c.escalationLevel() == level).toList();
    }
}

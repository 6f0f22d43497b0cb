package dev.tally.notification.channel;

public enum ChannelKind {
    SLACK,
    TEAMS,
    TELEGRAM,
    WEBHOOK,
    EMAIL
}

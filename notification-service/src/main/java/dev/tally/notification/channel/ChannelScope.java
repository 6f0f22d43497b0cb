package dev.tally.notification.channel;

/** Which alerts of its organisation a channel receives: all, or only those about one budget or one group. */
public enum ChannelScope {
    ORG,
    BUDGET,
    GROUP
}

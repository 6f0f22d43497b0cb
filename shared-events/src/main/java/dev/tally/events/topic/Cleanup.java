package dev.tally.events.topic;

public enum Cleanup {
    DELETE,
    COMPACT
}

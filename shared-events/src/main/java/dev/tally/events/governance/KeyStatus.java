package dev.tally.events.governance;

public enum KeyStatus {
    ACTIVE,
    REVOKED
}

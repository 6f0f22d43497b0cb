package dev.tally.events.governance;

public enum MemberKind {
    USER,
    AGENT
}

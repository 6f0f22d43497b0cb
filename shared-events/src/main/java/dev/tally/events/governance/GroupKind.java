package dev.tally.events.governance;

/** A TEAM is people sharing a pool of credits; an AGENT_GROUP is agents sharing a purpose. */
public enum GroupKind {
    TEAM,
    AGENT_GROUP
}

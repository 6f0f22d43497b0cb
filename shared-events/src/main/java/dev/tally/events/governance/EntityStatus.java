package dev.tally.events.governance;

/** Whether an organisation, workspace, group or project may be used; INACTIVE refuses every request beneath it. */
public enum EntityStatus {
    ACTIVE,
    INACTIVE
}

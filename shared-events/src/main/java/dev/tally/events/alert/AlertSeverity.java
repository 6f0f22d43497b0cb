package dev.tally.events.alert;

/** How urgent an alert is; unacknowledged CRITICAL alerts escalate. */
public enum AlertSeverity {
    INFO,
    WARNING,
    CRITICAL
}

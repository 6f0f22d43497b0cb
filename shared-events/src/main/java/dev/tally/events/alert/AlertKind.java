package dev.tally.events.alert;

/** What an alert reports. */
public enum AlertKind {
    BUDGET_THRESHOLD,
    BUDGET_EXHAUSTED,
    APPROVAL_REQUESTED,
    APPROVAL_DECIDED,
    MEMBER_ON_VACATION,
    ANOMALY,
    RESERVATIONS_REFUSED,
    CREDIT_OVERDRAWN,
    TEST
}

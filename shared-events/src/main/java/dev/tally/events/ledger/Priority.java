package dev.tally.events.ledger;

/** Only CRITICAL reservations may draw on the ledger's overdraft. */
public enum Priority {
    NORMAL,
    CRITICAL
}

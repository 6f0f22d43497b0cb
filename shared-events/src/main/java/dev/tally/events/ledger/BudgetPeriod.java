package dev.tally.events.ledger;

/** Budget windows are UTC calendar windows; TOTAL never resets. */
public enum BudgetPeriod {
    DAILY,
    MONTHLY,
    TOTAL
}

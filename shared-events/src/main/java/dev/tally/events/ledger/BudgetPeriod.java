package dev.tally.events.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * How often a budget's spend starts again. Windows are UTC calendar windows: a day from midnight, a month from the
 * 1st; TOTAL is one window for all time and never resets. This is the one statement of that rule: the ledger counts
 * spend by it, and the gateway's warnings and analytics' forecasts read windows by it.
 */
public enum BudgetPeriod {
    DAILY,
    MONTHLY,
    TOTAL;

    /** The start of TOTAL's one window, as events and holds record it. */
    public static final LocalDate ALL_TIME = LocalDate.of(1970, 1, 1);

    /** The first day of the window {@code at} falls in. */
    public LocalDate windowStart(Instant at) {
        return windowStart(LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    /** The first day of the window the UTC day {@code day} belongs to. */
    public LocalDate windowStart(LocalDate day) {
        return switch (this) {
            case DAILY -> day;
            case MONTHLY -> day.withDayOfMonth(1);
            case TOTAL -> ALL_TIME;
        };
    }
}

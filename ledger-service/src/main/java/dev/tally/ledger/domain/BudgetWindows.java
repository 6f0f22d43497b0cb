package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetPeriod;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** UTC calendar windows: a day from midnight, a month from the 1st, and one window for all time. */
public final class BudgetWindows {

    public static final LocalDate ALL_TIME = LocalDate.of(1970, 1, 1);

    private BudgetWindows() {
    }

    public static LocalDate start(BudgetPeriod period, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (period) {
            case DAILY -> day;
            case MONTHLY -> day.withDayOfMonth(1);
            case TOTAL -> ALL_TIME;
        };
    }
}

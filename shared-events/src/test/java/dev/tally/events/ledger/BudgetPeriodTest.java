package dev.tally.events.ledger;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetPeriodTest {

    @Test
    void windows_are_utc_calendar_windows_and_total_is_one_window() {
        Instant lastSecondOfMarch = Instant.parse("2025-03-31T23:59:59Z");
        Instant firstOfApril = Instant.parse("2025-04-01T00:00:00Z");

        assertThat(BudgetPeriod.DAILY.windowStart(lastSecondOfMarch)).isEqualTo(LocalDate.of(2025, 3, 31));
        assertThat(BudgetPeriod.DAILY.windowStart(firstOfApril)).isEqualTo(LocalDate.of(2025, 4, 1));
        assertThat(BudgetPeriod.MONTHLY.windowStart(lastSecondOfMarch)).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(BudgetPeriod.MONTHLY.windowStart(firstOfApril)).isEqualTo(LocalDate.of(2025, 4, 1));
        assertThat(BudgetPeriod.TOTAL.windowStart(firstOfApril)).isEqualTo(BudgetPeriod.ALL_TIME);
        // A time zone ahead of UTC is already on the 1st; the window is still March's.
        assertThat(BudgetPeriod.MONTHLY.windowStart(Instant.parse("2025-03-31T22:30:00Z")))
                .isEqualTo(LocalDate.of(2025, 3, 1));
    }
}

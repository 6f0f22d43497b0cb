package dev.tally.gateway.budget;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetWarningsTest {

    private static final LocalDate MAR_1 = LocalDate.of(2025, 3, 1);
    private static final LocalDate MAR_2 = LocalDate.of(2025, 3, 2);
    private static final LocalDate MAR_20 = LocalDate.of(2025, 3, 20);
    private static final LocalDate APR_2 = LocalDate.of(2025, 4, 2);

    /** Never started: no Kafka is contacted. */
    private final BudgetWarnings warnings = new BudgetWarnings("unused:9092", 80);

    private static BudgetThresholdCrossedEvent crossed(BudgetPeriod period, LocalDate windowStart, int percent) {
        return new BudgetThresholdCrossedEvent("ledger-1", "cmd-1", Instant.EPOCH, "budget-1",
                new Scope(ScopeLevel.GROUP, "team-1"), period, windowStart, percent, percent, 100);
    }

    @Test
    void a_budget_with_no_crossing_is_not_warned() {
        assertThat(warnings.warned("budget-1", MAR_1)).isFalse();
    }

    @Test
    void a_crossing_below_the_warning_percent_does_not_warn() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 50));

        assertThat(warnings.warned("budget-1", MAR_1)).isFalse();
    }

    @Test
    void a_crossing_at_the_warning_percent_warns() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 80));

        assertThat(warnings.warned("budget-1", MAR_1)).isTrue();
    }

    @Test
    void a_crossing_above_the_warning_percent_warns() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 100));

        assertThat(warnings.warned("budget-1", MAR_1)).isTrue();
    }

    @Test
    void the_warning_percent_is_configurable() {
        BudgetWarnings early = new BudgetWarnings("unused:9092", 50);
        early.apply(crossed(BudgetPeriod.DAILY, MAR_1, 50));

        assertThat(early.warned("budget-1", MAR_1)).isTrue();
    }

    @Test
    void a_warning_applies_only_to_its_budget() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 90));

        assertThat(warnings.warned("budget-2", MAR_1)).isFalse();
    }

    @Test
    void a_daily_warning_ends_with_its_day() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 90));

        assertThat(warnings.warned("budget-1", MAR_2)).isFalse();
    }

    @Test
    void a_monthly_warning_lasts_the_month() {
        warnings.apply(crossed(BudgetPeriod.MONTHLY, MAR_1, 90));

        assertThat(warnings.warned("budget-1", MAR_20)).isTrue();
    }

    @Test
    void a_monthly_warning_ends_with_its_month() {
        warnings.apply(crossed(BudgetPeriod.MONTHLY, MAR_1, 90));

        assertThat(warnings.warned("budget-1", APR_2)).isFalse();
    }

    @Test
    void a_total_warning_never_ends() {
        warnings.apply(crossed(BudgetPeriod.TOTAL, LocalDate.of(1970, 1, 1), 90));

        assertThat(warnings.warned("budget-1", APR_2)).isTrue();
    }

    @Test
    void a_crossing_in_a_later_window_replaces_a_higher_one_in_an_earlier_window() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 100));
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_2, 80));

        assertThat(warnings.warned("budget-1", MAR_2)).isTrue();
    }

    @Test
    void a_late_crossing_from_an_earlier_window_does_not_replace_the_current_one() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_2, 80));
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 100));

        assertThat(warnings.warned("budget-1", MAR_2)).isTrue();
    }

    @Test
    void a_lower_crossing_in_the_same_window_does_not_lower_the_warning() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 90));
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 50));

        assertThat(warnings.warned("budget-1", MAR_1)).isTrue();
    }

    @Test
    void a_higher_crossing_in_the_same_window_raises_the_warning() {
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 50));
        warnings.apply(crossed(BudgetPeriod.DAILY, MAR_1, 80));

        assertThat(warnings.warned("budget-1", MAR_1)).isTrue();
    }

    @Test
    void crossings_of_windows_that_are_over_are_forgotten() {
        for (int i = 0; i < 100_000; i++) {
            warnings.apply(new BudgetThresholdCrossedEvent("ledger-1", "cmd-" + i, Instant.EPOCH, "daily-" + i,
                    new Scope(ScopeLevel.GROUP, "team-1"), BudgetPeriod.DAILY, MAR_1, 90, 90, 100));
        }
        warnings.apply(crossed(BudgetPeriod.MONTHLY, MAR_1, 90));

        warnings.forgetPastWindows(MAR_2);

        assertThat(warnings.crossings()).isEqualTo(1);
        assertThat(warnings.warned("budget-1", MAR_20)).as("the month's crossing still counts").isTrue();
    }
}

package dev.tally.analytics.forecast;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetForecastTest {

    // 10 days left until 2026-12-01T00:00Z.
    private static final Instant NOV_21 = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void monthly_forecast_adds_the_seven_day_pace_for_the_rest_of_the_month() {
        // 700 in 7 days = 100 a day; 10 days left: 2,000 + 1,000.
        var result = BudgetForecast.forecast("MONTHLY", 5_000, 2_000, 700, null, NOV_21);
        assertThat(result.horizon()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(result.projectedCredits()).isEqualTo(3_000);
        assertThat(result.projectedPercent()).isEqualTo(60.0);
        assertThat(result.willExceed()).isFalse();
        assertThat(result.exhaustedAt()).isNull();
    }

    @Test
    void a_pace_that_reaches_the_limit_before_month_end_says_when() {
        // 7,000 in 7 days = 1,000 a day; 1,500 left of the limit: exhausted in 1.5 days.
        var result = BudgetForecast.forecast("MONTHLY", 5_000, 3_500, 7_000, null, NOV_21);
        assertThat(result.projectedCredits()).isEqualTo(13_500);
        assertThat(result.willExceed()).isTrue();
        assertThat(result.exhaustedAt()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    }

    @Test
    void daily_budgets_are_forecast_to_the_end_of_the_day() {
        Instant noon = Instant.parse("2026-11-21T12:00:00Z");
        // 1,400 a week = 200 a day; half a day left: +100.
        var result = BudgetForecast.forecast("DAILY", 1_000, 300, 1_400, null, noon);
        assertThat(result.horizon()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(result.projectedCredits()).isEqualTo(400);
    }

    @Test
    void forecasts_round_up_like_charges() {
        // 1 credit a week over 10 days is 1.43 credits: 2.
        assertThat(BudgetForecast.forecast("MONTHLY", 100, 0, 1, null, NOV_21).projectedCredits()).isEqualTo(2);
    }

    @Test
    void no_recent_spend_projects_the_budget_to_stay_where_it_is() {
        var result = BudgetForecast.forecast("TOTAL", 100, 40, 0, null, NOV_21);
        assertThat(result.projectedCredits()).isEqualTo(40);
        assertThat(result.exhaustedAt()).isNull();
    }

    @Test
    void an_exhausted_budget_keeps_the_moment_it_was_exhausted_whatever_the_time_of_the_read() {
        Instant reached = Instant.parse("2026-11-18T09:30:00Z");
        var now = BudgetForecast.forecast("MONTHLY", 100, 100, 700, reached, NOV_21);
        var later = BudgetForecast.forecast("MONTHLY", 100, 100, 700, reached, NOV_21.plusSeconds(3600));
        assertThat(now.exhaustedAt()).isEqualTo(reached);
        assertThat(later.exhaustedAt()).isEqualTo(reached);
    }

    @Test
    void an_exhausted_budget_is_forecast_at_its_limit_because_the_ledger_refuses_the_rest_of_the_window() {
        // 700 a week would add 1,000 by month end if it could go on: it cannot.
        var result = BudgetForecast.forecast("MONTHLY", 100, 100, 700, Instant.parse("2026-11-18T09:30:00Z"),
                NOV_21);
        assertThat(result.projectedCredits()).isEqualTo(100);
        assertThat(result.projectedPercent()).isEqualTo(100.0);
        assertThat(result.willExceed()).isFalse();
    }

    @Test
    void a_budget_the_ledger_exhausted_by_refusing_a_reservation_short_of_the_limit_is_forecast_at_its_limit() {
        var result = BudgetForecast.forecast("DAILY", 100, 95, 700, Instant.parse("2026-11-20T23:00:00Z"), NOV_21);
        assertThat(result.projectedCredits()).isEqualTo(100);
        assertThat(result.projectedPercent()).isEqualTo(100.0);
    }

    @Test
    void charges_past_the_limit_stay_in_the_forecast_of_an_exhausted_budget() {
        var result = BudgetForecast.forecast("TOTAL", 100, 140, 700, Instant.parse("2026-11-20T23:00:00Z"), NOV_21);
        assertThat(result.projectedCredits()).isEqualTo(140);
        assertThat(result.projectedPercent()).isEqualTo(140.0);
        assertThat(result.willExceed()).isTrue();
    }

    @Test
    void windows_are_utc_calendar_windows_and_total_never_resets() {
        Instant t = Instant.parse("2026-11-21T15:30:00Z");
        assertThat(BudgetForecast.windowStart("DAILY", t)).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(BudgetForecast.windowStart("MONTHLY", t)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(BudgetForecast.windowStart("TOTAL", t)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void huge_credit_counts_do_not_overflow() {
        long huge = Long.MAX_VALUE / 4;
        var result = BudgetForecast.forecast("MONTHLY", Long.MAX_VALUE, 0, huge, null, NOV_21);
        assertThat(result.projectedCredits()).isPositive();
    }

    @Test
    void fill_percent_has_one_decimal_and_handles_zero_limits() {
        assertThat(BudgetForecast.percent(1, 3)).isEqualTo(33.3);
        assertThat(BudgetForecast.percent(0, 0)).isEqualTo(0.0);
        assertThat(BudgetForecast.percent(5, 0)).isEqualTo(100.0);
    }
}

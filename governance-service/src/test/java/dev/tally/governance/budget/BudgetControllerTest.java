package dev.tally.governance.budget;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.http.HttpStatus;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The input rules of budgets: thresholds and period. */
class BudgetControllerTest {

    @Test
    void no_thresholds_means_50_75_90_and_100_percent() {
        assertThat(BudgetController.thresholds(null)).containsExactly(50, 75, 90, 100);
    }

    @Test
    void an_empty_threshold_list_means_the_defaults() {
        assertThat(BudgetController.thresholds(List.of())).containsExactly(50, 75, 90, 100);
    }

    @Test
    void thresholds_are_sorted() {
        assertThat(BudgetController.thresholds(List.of(100, 20, 80))).containsExactly(20, 80, 100);
    }

    @Test
    void a_threshold_given_twice_is_kept_once() {
        assertThat(BudgetController.thresholds(List.of(80, 50, 80))).containsExactly(50, 80);
    }

    @Test
    void thresholds_of_1_and_100_are_accepted() {
        assertThat(BudgetController.thresholds(List.of(1, 100))).containsExactly(1, 100);
    }

    @Test
    void a_threshold_of_zero_is_refused_naming_its_index() {
        assertRefused(() -> BudgetController.thresholds(List.of(50, 0)), "thresholds[1]");
    }

    @Test
    void a_threshold_above_100_is_refused_naming_its_index() {
        assertRefused(() -> BudgetController.thresholds(List.of(101, 50)), "thresholds[0]");
    }

    @Test
    void a_null_threshold_is_refused_naming_its_index() {
        assertRefused(() -> BudgetController.thresholds(Arrays.asList(50, 75, null)), "thresholds[2]");
    }

    @Test
    void a_period_is_read_in_any_case() {
        assertThat(BudgetController.period("monthly")).isEqualTo(BudgetPeriod.MONTHLY);
    }

    @Test
    void a_period_is_read_without_surrounding_whitespace() {
        assertThat(BudgetController.period(" Daily ")).isEqualTo(BudgetPeriod.DAILY);
    }

    @Test
    void an_unknown_period_is_refused_naming_period() {
        assertRefused(() -> BudgetController.period("WEEKLY"), "period");
    }

    @Test
    void a_missing_period_is_refused_naming_period() {
        assertRefused(() -> BudgetController.period(null), "period");
    }

    private static void assertRefused(Executable call, String field) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}

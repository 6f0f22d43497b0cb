package dev.tally.gateway.policy;

import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.TimeWindow;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Collection;
import java.util.List;

import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.TUESDAY;
import static org.assertj.core.api.Assertions.assertThat;

class EffectivePolicyTest {

    // 2025-01-06 is a Monday; January keeps New York on EST (UTC-5).
    private static final Instant MON_03_00 = Instant.parse("2025-01-06T03:00:00Z");
    private static final Instant MON_10_00 = Instant.parse("2025-01-06T10:00:00Z");
    private static final Instant MON_13_00 = Instant.parse("2025-01-06T13:00:00Z");
    private static final Instant MON_23_00 = Instant.parse("2025-01-06T23:00:00Z");
    private static final Instant TUE_03_00 = Instant.parse("2025-01-07T03:00:00Z");
    private static final Instant TUE_10_00 = Instant.parse("2025-01-07T10:00:00Z");
    private static final Instant TUE_23_00 = Instant.parse("2025-01-07T23:00:00Z");

    private static PolicyState policy(List<String> allowed, Integer maxIn, Integer maxOut, Integer rpm, Integer tpm,
            List<TimeWindow> windows, List<String> fallbacks) {
        return new PolicyState("policy-1", "org-1", new Scope(ScopeLevel.ORG, "org-1"), "policy", allowed, maxIn,
                maxOut, rpm, tpm, windows, fallbacks, null, Instant.EPOCH);
    }

    private static PolicyState critical(Boolean allowed) {
        return new PolicyState("policy-c", "org-1", new Scope(ScopeLevel.ORG, "org-1"), "critical", null, null,
                null, null, null, null, null, allowed, Instant.EPOCH);
    }

    private static PolicyState allowing(List<String> models) {
        return policy(models, null, null, null, null, null, null);
    }

    private static PolicyState windowed(TimeWindow... windows) {
        return policy(null, null, null, null, null, List.of(windows), null);
    }

    private static PolicyState fallingBackTo(List<String> models) {
        return policy(null, null, null, null, null, null, models);
    }

    private static TimeWindow window(List<DayOfWeek> days, String start, String end, String zone) {
        return new TimeWindow(days, LocalTime.parse(start), LocalTime.parse(end), zone);
    }

    @SafeVarargs
    private static EffectivePolicy merge(Collection<PolicyState>... levels) {
        return EffectivePolicy.merge(List.of(levels));
    }

    @Test
    void allowed_models_are_the_intersection_of_the_chain() {
        EffectivePolicy merged = merge(List.of(allowing(List.of("gpt-4o", "gpt-4o-mini"))),
                List.of(allowing(List.of("gpt-4o-mini", "claude-3-haiku"))));

        assertThat(merged.allowedModels()).containsExactly("gpt-4o-mini");
        assertThat(merged.allows("gpt-4o-mini")).isTrue();
        assertThat(merged.allows("gpt-4o")).isFalse();
        assertThat(merged.allows("claude-3-haiku")).isFalse();
    }

    @Test
    void two_policies_on_the_same_scope_also_intersect() {
        EffectivePolicy merged = merge(List.of(allowing(List.of("a", "b")), allowing(List.of("b", "c"))));

        assertThat(merged.allowedModels()).containsExactly("b");
    }

    @Test
    void a_policy_without_allowed_models_does_not_restrict_models() {
        EffectivePolicy merged = merge(List.of(allowing(null)), List.of(allowing(List.of("gpt-4o-mini"))),
                List.of(allowing(null)));

        assertThat(merged.allowedModels()).containsExactly("gpt-4o-mini");
    }

    @Test
    void no_allowed_models_anywhere_allows_every_model() {
        EffectivePolicy merged = merge(List.of(allowing(null)), List.of());

        assertThat(merged.allowedModels()).isNull();
        assertThat(merged.allows("anything-at-all")).isTrue();
    }

    @Test
    void disjoint_allowed_models_allow_nothing() {
        EffectivePolicy merged = merge(List.of(allowing(List.of("gpt-4o"))), List.of(allowing(List.of("o1"))));

        assertThat(merged.allows("gpt-4o")).isFalse();
        assertThat(merged.allows("o1")).isFalse();
    }

    @Test
    void numeric_limits_take_the_minimum_and_null_is_unrestricted() {
        EffectivePolicy merged = merge(
                List.of(policy(null, 8000, null, 60, null, null, null)),
                List.of(policy(null, 4000, 1000, null, null, null, null)),
                List.of(policy(null, null, 2000, 30, 50_000, null, null)));

        assertThat(merged.maxInputTokens()).isEqualTo(4000);
        assertThat(merged.maxOutputTokens()).isEqualTo(1000);
        assertThat(merged.rpmLimit()).isEqualTo(30);
        assertThat(merged.tpmLimit()).isEqualTo(50_000);
    }

    @Test
    void numeric_limits_no_policy_sets_stay_null() {
        EffectivePolicy merged = merge(List.of(allowing(List.of("gpt-4o"))));

        assertThat(merged.maxInputTokens()).isNull();
        assertThat(merged.maxOutputTokens()).isNull();
        assertThat(merged.rpmLimit()).isNull();
        assertThat(merged.tpmLimit()).isNull();
    }

    @Test
    void fallback_models_come_from_the_most_specific_policy_that_lists_any() {
        EffectivePolicy merged = merge(List.of(fallingBackTo(List.of("org-choice"))),
                List.of(fallingBackTo(List.of("group-first", "group-second"))),
                List.of(fallingBackTo(List.of())),
                List.of(fallingBackTo(null)));

        assertThat(merged.fallbackModels()).containsExactly("group-first", "group-second");
    }

    @Test
    void no_policies_admit_at_any_time() {
        EffectivePolicy merged = merge(List.of(allowing(null)), List.of());

        assertThat(merged.openAt(MON_03_00)).isTrue();
        assertThat(EffectivePolicy.NONE.openAt(TUE_23_00)).isTrue();
    }

    @Test
    void a_window_admits_a_time_inside_its_hours_on_a_listed_day() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))));

        assertThat(merged.openAt(MON_10_00)).isTrue();
    }

    @Test
    void a_window_refuses_a_time_outside_its_hours() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))));

        assertThat(merged.openAt(MON_03_00)).isFalse();
        assertThat(merged.openAt(MON_23_00)).isFalse();
    }

    @Test
    void a_window_includes_its_start_and_excludes_its_end() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))));

        assertThat(merged.openAt(Instant.parse("2025-01-06T09:00:00Z"))).isTrue();
        assertThat(merged.openAt(Instant.parse("2025-01-06T16:59:59Z"))).isTrue();
        assertThat(merged.openAt(Instant.parse("2025-01-06T17:00:00Z"))).isFalse();
    }

    @Test
    void a_window_refuses_a_day_it_does_not_list() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))));

        assertThat(merged.openAt(TUE_10_00)).isFalse();
    }

    @Test
    void a_window_spanning_midnight_admits_the_early_hours_of_the_day_after_a_listed_day() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "22:00", "06:00", "UTC"))));

        assertThat(merged.openAt(MON_23_00)).isTrue();
        assertThat(merged.openAt(TUE_03_00)).isTrue();
    }

    @Test
    void a_window_spanning_midnight_refuses_the_early_hours_of_the_listed_day_itself() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "22:00", "06:00", "UTC"))));

        assertThat(merged.openAt(MON_03_00)).isFalse();
        assertThat(merged.openAt(TUE_23_00)).isFalse();
        assertThat(merged.openAt(TUE_10_00)).isFalse();
    }

    @Test
    void a_window_spanning_midnight_opened_on_sunday_admits_monday_morning() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(DayOfWeek.SUNDAY), "22:00", "06:00",
                "UTC"))));

        assertThat(merged.openAt(MON_03_00)).isTrue();
        assertThat(merged.openAt(TUE_03_00)).isFalse();
    }

    @Test
    void a_window_is_read_in_its_own_time_zone() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00",
                "America/New_York"))));

        // 10:00 UTC is 05:00 in New York; 15:00 UTC is 10:00 there.
        assertThat(merged.openAt(MON_10_00)).isFalse();
        assertThat(merged.openAt(Instant.parse("2025-01-06T15:00:00Z"))).isTrue();
    }

    @Test
    void the_time_zone_decides_the_day_of_the_week() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(TUESDAY), "00:00", "12:00",
                "Asia/Tokyo"))));

        // Monday 23:00 UTC is Tuesday 08:00 in Tokyo.
        assertThat(merged.openAt(MON_23_00)).isTrue();
    }

    @Test
    void one_open_window_of_a_policy_is_enough() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "12:00", "UTC"),
                window(List.of(TUESDAY), "09:00", "12:00", "UTC"))));

        assertThat(merged.openAt(MON_10_00)).isTrue();
        assertThat(merged.openAt(TUE_10_00)).isTrue();
    }

    @Test
    void every_policy_with_windows_must_admit() {
        EffectivePolicy merged = merge(List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))),
                List.of(windowed(window(List.of(MONDAY), "12:00", "20:00", "UTC"))));

        assertThat(merged.openAt(MON_10_00)).isFalse();
        assertThat(merged.openAt(MON_13_00)).isTrue();
    }

    @Test
    void a_policy_without_windows_does_not_close_the_chain() {
        EffectivePolicy merged = merge(List.of(policy(null, null, null, null, null, List.of(), null)),
                List.of(windowed(window(List.of(MONDAY), "09:00", "17:00", "UTC"))));

        assertThat(merged.openAt(MON_10_00)).isTrue();
    }

    @Test
    void critical_priority_is_not_granted_without_a_policy_that_grants_it() {
        assertThat(merge(List.of(allowing(List.of("gpt-4o"))), List.of(critical(null))).allowsCriticalPriority())
                .isFalse();
        assertThat(EffectivePolicy.NONE.allowsCriticalPriority()).isFalse();
    }

    @Test
    void one_grant_on_the_chain_allows_critical_priority() {
        assertThat(merge(List.of(allowing(null)), List.of(), List.of(critical(true))).allowsCriticalPriority())
                .isTrue();
    }

    @Test
    void a_refusal_anywhere_on_the_chain_wins_over_a_grant() {
        assertThat(merge(List.of(critical(true)), List.of(critical(false))).allowsCriticalPriority()).isFalse();
        assertThat(merge(List.of(critical(false)), List.of(critical(true))).allowsCriticalPriority()).isFalse();
    }
}

package dev.tally.governance.policy;

import dev.tally.events.governance.TimeWindow;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.policy.PolicyRequest.TimeWindowRequest;
import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PolicyRulesParserTest {

    private static final Scope ORG = new Scope(ScopeLevel.ORG, "org-1");
    private static final Scope GROUP = new Scope(ScopeLevel.GROUP, "team-1");

    // ---- refusals name the exact field ----

    @Test
    void a_max_output_tokens_of_zero_is_refused_naming_max_output_tokens() {
        ApiException e = refusal(request(null, null, 0, null, null, null, null));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.field()).isEqualTo("max_output_tokens");
    }

    @Test
    void a_negative_max_input_tokens_is_refused_naming_max_input_tokens() {
        assertThat(refusal(request(null, -1, null, null, null, null, null)).field()).isEqualTo("max_input_tokens");
    }

    @Test
    void a_zero_rpm_limit_is_refused_naming_rpm_limit() {
        assertThat(refusal(request(null, null, null, 0, null, null, null)).field()).isEqualTo("rpm_limit");
    }

    @Test
    void a_zero_tpm_limit_is_refused_naming_tpm_limit() {
        assertThat(refusal(request(null, null, null, null, 0, null, null)).field()).isEqualTo("tpm_limit");
    }

    @Test
    void an_empty_allowed_models_list_is_refused_naming_allowed_models() {
        assertThat(refusal(request(List.of(), null, null, null, null, null, null)).field())
                .isEqualTo("allowed_models");
    }

    @Test
    void a_blank_model_in_allowed_models_is_refused_naming_its_index() {
        assertThat(refusal(request(List.of("gpt-4o", "  "), null, null, null, null, null, null)).field())
                .isEqualTo("allowed_models[1]");
    }

    @Test
    void a_null_model_in_fallback_models_is_refused_naming_its_index() {
        assertThat(refusal(request(null, null, null, null, null, null, Arrays.asList("gpt-4o-mini", null))).field())
                .isEqualTo("fallback_models[1]");
    }

    @Test
    void a_policy_without_any_rule_is_refused_naming_rules() {
        assertThat(refusal(request(null, null, null, null, null, null, null)).field()).isEqualTo("rules");
    }

    @Test
    void an_empty_time_windows_list_is_refused_naming_time_windows() {
        assertThat(refusal(windows()).field()).isEqualTo("time_windows");
    }

    @Test
    void a_null_time_window_is_refused_naming_its_index() {
        assertThat(refusal(request(null, null, null, null, null, Arrays.asList((TimeWindowRequest) null), null))
                .field()).isEqualTo("time_windows[0]");
    }

    @Test
    void a_start_that_is_not_hh_mm_is_refused_naming_time_windows_0_start() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "9am", "17:00", null))).field())
                .isEqualTo("time_windows[0].start");
    }

    @Test
    void an_hour_beyond_23_is_refused_naming_the_end() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "09:00", "24:00", null))).field())
                .isEqualTo("time_windows[0].end");
    }

    @Test
    void a_missing_end_is_refused_naming_time_windows_0_end() {
        ApiException e = refusal(windows(new TimeWindowRequest(null, "09:00", null, null)));

        assertThat(e.field()).isEqualTo("time_windows[0].end");
        assertThat(e.code()).isEqualTo("missing_field");
    }

    @Test
    void an_error_in_the_second_window_names_index_1() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "09:00", "17:00", null),
                new TimeWindowRequest(null, "9:00", "17:00", null))).field()).isEqualTo("time_windows[1].start");
    }

    @Test
    void an_unknown_day_is_refused_naming_its_index() {
        assertThat(refusal(windows(new TimeWindowRequest(List.of("MON", "FUNDAY"), "09:00", "17:00", null))).field())
                .isEqualTo("time_windows[0].days[1]");
    }

    @Test
    void a_blank_day_is_refused_naming_its_index() {
        assertThat(refusal(windows(new TimeWindowRequest(List.of(" "), "09:00", "17:00", null))).field())
                .isEqualTo("time_windows[0].days[0]");
    }

    @Test
    void an_unknown_time_zone_is_refused_naming_time_windows_0_time_zone() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "09:00", "17:00", "Mars/Olympus_Mons"))).field())
                .isEqualTo("time_windows[0].time_zone");
    }

    @Test
    void a_blank_time_zone_is_refused_naming_time_windows_0_time_zone() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "09:00", "17:00", " "))).field())
                .isEqualTo("time_windows[0].time_zone");
    }

    @Test
    void a_window_whose_start_equals_its_end_is_refused_naming_the_end() {
        assertThat(refusal(windows(new TimeWindowRequest(null, "09:00", "09:00", null))).field())
                .isEqualTo("time_windows[0].end");
    }

    // ---- accepted forms ----

    @Test
    void short_and_long_day_names_are_accepted_in_any_case() {
        TimeWindow window = window(new TimeWindowRequest(List.of("MON", "tuesday", "Fri"), "09:00", "17:00", null));

        assertThat(window.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.FRIDAY);
    }

    @Test
    void a_day_given_twice_is_kept_once() {
        TimeWindow window = window(new TimeWindowRequest(List.of("MON", "MONDAY", "mon"), "09:00", "17:00", null));

        assertThat(window.days()).containsExactly(DayOfWeek.MONDAY);
    }

    @Test
    void a_window_without_days_opens_on_all_seven() {
        assertThat(window(new TimeWindowRequest(null, "09:00", "17:00", null)).days())
                .containsExactly(DayOfWeek.values());
    }

    @Test
    void a_window_with_an_empty_day_list_opens_on_all_seven() {
        assertThat(window(new TimeWindowRequest(List.of(), "09:00", "17:00", null)).days())
                .containsExactly(DayOfWeek.values());
    }

    @Test
    void a_window_without_a_time_zone_is_in_utc() {
        assertThat(window(new TimeWindowRequest(null, "09:00", "17:00", null)).timeZone()).isEqualTo("UTC");
    }

    @Test
    void a_time_zone_is_kept_without_surrounding_whitespace() {
        assertThat(window(new TimeWindowRequest(null, "09:00", "17:00", " Europe/Berlin ")).timeZone())
                .isEqualTo("Europe/Berlin");
    }

    @Test
    void start_and_end_are_parsed_as_times_of_day() {
        TimeWindow window = window(new TimeWindowRequest(null, " 09:30 ", "17:45", null));

        assertThat(window.start()).isEqualTo(LocalTime.of(9, 30));
        assertThat(window.end()).isEqualTo(LocalTime.of(17, 45));
    }

    @Test
    void a_window_ending_before_it_starts_is_accepted_as_spanning_midnight() {
        TimeWindow window = window(new TimeWindowRequest(null, "22:00", "06:00", null));

        assertThat(window.start()).isEqualTo(LocalTime.of(22, 0));
        assertThat(window.end()).isEqualTo(LocalTime.of(6, 0));
    }

    @Test
    void allowed_models_are_trimmed_and_de_duplicated_in_order() {
        PolicyRules rules = parse(
                request(List.of(" gpt-4o ", "claude-sonnet", "gpt-4o"), null, null, null, null, null, null));

        assertThat(rules.allowedModels()).containsExactly("gpt-4o", "claude-sonnet");
    }

    @Test
    void fallback_models_are_trimmed_and_de_duplicated_in_order() {
        PolicyRules rules = parse(
                request(null, null, null, null, null, null, List.of("gpt-4o-mini ", " gpt-4o-mini", "haiku")));

        assertThat(rules.fallbackModels()).containsExactly("gpt-4o-mini", "haiku");
    }

    @Test
    void a_single_limit_is_a_policy_and_the_other_rules_stay_unrestricted() {
        PolicyRules rules = parse(request(null, null, null, 60, null, null, null));

        assertThat(rules).isEqualTo(new PolicyRules(null, null, null, 60, null, null, null, null));
    }

    // ---- the critical-priority privilege ----

    @Test
    void allow_critical_priority_alone_is_a_policy() {
        PolicyRules rules = parse(privilege(true), GROUP);

        assertThat(rules).isEqualTo(new PolicyRules(null, null, null, null, null, null, null, true));
    }

    @Test
    void an_explicit_refusal_of_critical_priority_is_kept_as_false() {
        assertThat(parse(privilege(false), GROUP).allowCriticalPriority()).isFalse();
    }

    @Test
    void critical_priority_on_a_project_policy_is_refused_naming_allow_critical_priority() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> parse(privilege(true), new Scope(ScopeLevel.PROJECT, "project-1")));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.field()).isEqualTo("allow_critical_priority");
    }

    @Test
    void a_policy_without_any_rule_names_the_privilege_among_the_rules_it_could_have() {
        ApiException e = refusal(request(null, null, null, null, null, null, null));

        assertThat(e.field()).isEqualTo("rules");
        assertThat(e.getMessage()).contains("allow_critical_priority");
    }

    private static PolicyRules parse(PolicyRequest request) {
        return parse(request, ORG);
    }

    private static PolicyRules parse(PolicyRequest request, Scope target) {
        return PolicyRulesParser.parse(request, target);
    }

    private static PolicyRequest privilege(boolean allowCriticalPriority) {
        return new PolicyRequest("policy", null, null, null, "team-1", null, null, null, null, null, null, null, null,
                null, null, allowCriticalPriority);
    }

    private static ApiException refusal(PolicyRequest request) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(request));
        assertThat(e).as("expected the request to be refused").isNotNull();
        return e;
    }

    private static TimeWindow window(TimeWindowRequest window) {
        List<TimeWindow> windows = parse(windows(window)).timeWindows();
        assertThat(windows).hasSize(1);
        return windows.get(0);
    }

    private static PolicyRequest windows(TimeWindowRequest... windows) {
        return request(null, null, null, null, null, List.of(windows), null);
    }

    private static PolicyRequest request(List<String> allowedModels, Integer maxInputTokens, Integer maxOutputTokens,
            Integer rpmLimit, Integer tpmLimit, List<TimeWindowRequest> timeWindows, List<String> fallbackModels) {
        return new PolicyRequest("policy", "org-1", null, null, null, null, null, null, allowedModels, maxInputTokens,
                maxOutputTokens, rpmLimit, tpmLimit, timeWindows, fallbackModels, null);
    }
}

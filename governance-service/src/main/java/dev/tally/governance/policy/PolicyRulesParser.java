package dev.tally.governance.policy;

import dev.tally.events.governance.TimeWindow;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a request into rules, naming the exact field of anything it refuses. */
final class PolicyRulesParser {

    private PolicyRulesParser() {
    }

    /** @param target the node the policy is attached to: the privilege belongs to members' chains, not projects */
    static PolicyRules parse(PolicyRequest r, Scope target) {
        List<String> allowed = Check.names(r.allowedModels(), "allowed_models");
        if (allowed != null && allowed.isEmpty()) {
            throw ApiException.invalid("allowed_models", "must list at least one model, or be null for any model");
        }
        PolicyRules rules = new PolicyRules(allowed,
                Check.optionalPositive(r.maxInputTokens(), "max_input_tokens"),
                Check.optionalPositive(r.maxOutputTokens(), "max_output_tokens"),
                Check.optionalPositive(r.rpmLimit(), "rpm_limit"),
                Check.optionalPositive(r.tpmLimit(), "tpm_limit"),
                windows(r.timeWindows()),
                Check.names(r.fallbackModels(), "fallback_models"),
                r.allowCriticalPriority());
        // Critical priority draws on the member's team pool: whether someone may do that is a property of who they
        // are (their chain), not of the project a request names, which anyone the project admits may name.
        if (rules.allowCriticalPriority() != null && target.level() == ScopeLevel.PROJECT) {
            throw ApiException.invalid("allow_critical_priority", "applies to organisations, workspaces, teams, agent "
                    + "groups, users and agents, not to projects");
        }
        if (rules.allowedModels() == null && rules.maxInputTokens() == null && rules.maxOutputTokens() == null
                && rules.rpmLimit() == null && rules.tpmLimit() == null && rules.timeWindows() == null
                && rules.fallbackModels() == null && rules.allowCriticalPriority() == null) {
            throw ApiException.invalid("rules", "a policy needs at least one rule: allowed_models, max_input_tokens, "
                    + "max_output_tokens, rpm_limit, tpm_limit, time_windows, fallback_models or "
                    + "allow_critical_priority");
        }
        return rules;
    }

    private static List<TimeWindow> windows(List<PolicyRequest.TimeWindowRequest> requests) {
        if (requests == null) {
            return null;
        }
        if (requests.isEmpty()) {
            throw ApiException.invalid("time_windows", "must list at least one window, or be null for any time");
        }
        List<TimeWindow> windows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String field = "time_windows[" + i + "]";
            var w = Check.required(requests.get(i), field);
            List<DayOfWeek> days = days(w.days(), field + ".days");
            LocalTime start = time(w.start(), field + ".start");
            LocalTime end = time(w.end(), field + ".end");
            if (start.equals(end)) {
                throw ApiException.invalid(field + ".end", "must differ from start");
            }
            String zone = w.timeZone() == null ? "UTC" : w.timeZone().strip();
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw ApiException.invalid(field + ".time_zone", "is not a time zone id such as Europe/Berlin");
            }
            windows.add(new TimeWindow(days, start, end, zone));
        }
        return windows;
    }

    private static List<DayOfWeek> days(List<String> values, String field) {
        if (values == null || values.isEmpty()) {
            return List.of(DayOfWeek.values());
        }
        List<DayOfWeek> days = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = Check.text(values.get(i), field + "[" + i + "]", 16).toUpperCase(Locale.ROOT);
            DayOfWeek day = null;
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().equals(value) || d.name().substring(0, 3).equals(value)) {
                    day = d;
                }
            }
            if (day == null) {
                throw ApiException.invalid(field + "[" + i + "]", "must be a day such as MON or MONDAY");
            }
            if (!days.contains(day)) {
                days.add(day);
            }
        }
        return days;
    }

    private static LocalTime time(String value, String field) {
        try {
            return LocalTime.parse(Check.text(value, field, 8));
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be a time of day as HH:mm");
        }
    }
}

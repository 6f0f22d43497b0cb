package dev.tally.gateway.policy;

import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.TimeWindow;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every policy on a member's chain merged, most restrictive wins (Agent Control): allowed models intersect, numeric
 * limits take the minimum, and every policy's time windows must admit the request. Null means unrestricted.
 *
 * @param fallbackModels          from the most specific policy that lists any, in its order of preference
 * @param allowsCriticalPriority  a privilege, so the opposite default: granted only when some policy of the chain
 *                                grants it and none refuses it (an org-wide grant can be withdrawn for one group or
 *                                member, and a member-level grant cannot override an org-wide refusal)
 */
public record EffectivePolicy(Set<String> allowedModels, Integer maxInputTokens, Integer maxOutputTokens,
        Integer rpmLimit, Integer tpmLimit, List<List<TimeWindow>> windowSets, List<String> fallbackModels,
        boolean allowsCriticalPriority) {

    public static final EffectivePolicy NONE = new EffectivePolicy(null, null, null, null, null, List.of(), List.of(),
            false);

    /** @param policiesFromOrgDown the policies of each scope of the chain, org first */
    public static EffectivePolicy merge(List<Collection<PolicyState>> policiesFromOrgDown) {
        Set<String> allowed = null;
        Integer maxIn = null;
        Integer maxOut = null;
        Integer rpm = null;
        Integer tpm = null;
        List<List<TimeWindow>> windows = new ArrayList<>();
        List<String> fallbacks = List.of();
        boolean criticalGranted = false;
        boolean criticalRefused = false;
        for (Collection<PolicyState> level : policiesFromOrgDown) {
            for (PolicyState p : level) {
                if (p.allowedModels() != null) {
                    if (allowed == null) {
                        allowed = new LinkedHashSet<>(p.allowedModels());
                    } else {
                        allowed.retainAll(p.allowedModels());
                    }
                }
                maxIn = min(maxIn, p.maxInputTokens());
                maxOut = min(maxOut, p.maxOutputTokens());
                rpm = min(rpm, p.rpmLimit());
                tpm = min(tpm, p.tpmLimit());
                if (p.timeWindows() != null && !p.timeWindows().isEmpty()) {
                    windows.add(p.timeWindows());
                }
                if (p.fallbackModels() != null && !p.fallbackModels().isEmpty()) {
                    fallbacks = p.fallbackModels();
                }
                if (p.allowCriticalPriority() != null) {
                    criticalGranted |= p.allowCriticalPriority();
                    criticalRefused |= !p.allowCriticalPriority();
                }
            }
        }
        return new EffectivePolicy(allowed, maxIn, maxOut, rpm, tpm, windows, fallbacks,
                criticalGranted && !criticalRefused);
    }

    public boolean allows(String model) {
        return allowedModels == null || allowedModels.contains(model);
    }

    /** Whether every policy with time windows has one that contains {@code now}. */
    public boolean openAt(Instant now) {
        for (List<TimeWindow> set : windowSets) {
            if (set.stream().noneMatch(w -> contains(w, now))) {
                return false;
            }
        }
        return true;
    }

    static boolean contains(TimeWindow w, Instant now) {
        ZonedDateTime local = now.atZone(ZoneId.of(w.timeZone()));
        LocalTime time = local.toLocalTime();
        DayOfWeek day = local.getDayOfWeek();
        if (w.start().isBefore(w.end())) {
            return w.days().contains(day) && !time.isBefore(w.start()) && time.isBefore(w.end());
        }
        // Spans midnight: the part after midnight belongs to the window opened the day before.
        return (w.days().contains(day) && !time.isBefore(w.start()))
                || (w.days().contains(day.minus(1)) && time.isBefore(w.end()));
    }

    private static Integer min(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.min(a, b);
    }
}

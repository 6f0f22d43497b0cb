package dev.tally.governance.policy;

import dev.tally.events.governance.TimeWindow;

import java.util.List;

/**
 * The rules of one policy, stored as JSON; null means "no restriction from this policy", and for the one privilege,
 * {@code allowCriticalPriority}, "no grant": rules stored before it existed read it as null.
 */
public record PolicyRules(List<String> allowedModels, Integer maxInputTokens, Integer maxOutputTokens,
        Integer rpmLimit, Integer tpmLimit, List<TimeWindow> timeWindows, List<String> fallbackModels,
        Boolean allowCriticalPriority) {
}

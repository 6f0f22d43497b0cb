package dev.tally.governance.policy;

import dev.tally.events.governance.TimeWindow;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

public record PolicyView(String id, String orgId, Scope target, String name, List<String> allowedModels,
        Integer maxInputTokens, Integer maxOutputTokens, Integer rpmLimit, Integer tpmLimit,
        List<TimeWindow> timeWindows, List<String> fallbackModels, Boolean allowCriticalPriority, Instant createdAt,
        Instant updatedAt) {

    static PolicyView of(Policy p) {
        PolicyRules r = p.rules();
        return new PolicyView(p.id(), p.orgId(), p.target(), p.name(), r.allowedModels(), r.maxInputTokens(),
                r.maxOutputTokens(), r.rpmLimit(), r.tpmLimit(), r.timeWindows(), r.fallbackModels(), r.allowCriticalPriority(),
                p.createdAt(), p.updatedAt());
    }
}

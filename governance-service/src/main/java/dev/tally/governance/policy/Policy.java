package dev.tally.governance.policy;

import dev.tally.events.governance.PolicyState;
import dev.tally.events.ledger.Scope;

import java.time.Instant;

public record Policy(String id, String orgId, Scope target, String name, PolicyRules rules, Instant createdAt,
        Instant updatedAt) {

    public PolicyState state() {
        return new PolicyState(id, orgId, target, name, rules.allowedModels(), rules.maxInputTokens(),
                rules.maxOutputTokens(), rules.rpmLimit(), rules.tpmLimit(), rules.timeWindows(),
                rules.fallbackModels(), rules.allowCriticalPriority(), updatedAt);
    }
}

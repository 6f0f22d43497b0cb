package dev.tally.governance.budget;

import dev.tally.events.governance.BudgetState;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

public record Budget(String id, String orgId, Scope target, String name, BudgetPeriod period, long limitCredits,
        List<Integer> thresholdsPercent, boolean autoDisable, Instant createdAt, Instant updatedAt) {

    public BudgetState state() {
        return new BudgetState(id, orgId, target, period, limitCredits, thresholdsPercent, autoDisable, updatedAt);
    }
}

package dev.tally.events.governance;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

/**
 * A budget as defined by an administrator. The ledger enforces it (DefineBudget carries the same id); a gateway
 * uses this copy to explain refusals, to pick fallback models and to answer quota questions.
 */
public record BudgetState(String id, String orgId, Scope scope, BudgetPeriod period, long limitCredits,
        List<Integer> thresholdsPercent, boolean autoDisable, Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "budget:" + id;
    }
}

package dev.tally.governance.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

/** @param ledgerStatus whether the ledger, which enforces the budget, has confirmed this definition yet */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BudgetView(String id, String orgId, Scope target, String name, String period, long limitCredits,
        List<Integer> thresholds, boolean autoDisable, Instant createdAt, Instant updatedAt, String ledgerStatus) {

    static BudgetView of(Budget b, String ledgerStatus) {
        return new BudgetView(b.id(), b.orgId(), b.target(), b.name(), b.period().name(), b.limitCredits(),
                b.thresholdsPercent(), b.autoDisable(), b.createdAt(), b.updatedAt(), ledgerStatus);
    }
}

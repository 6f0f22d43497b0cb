package dev.tally.events.ledger;

import java.util.List;

/**
 * Defines a budget, or redefines it when {@code budgetId} already exists.
 *
 * @param thresholdsPercent alert thresholds; empty means the defaults 50, 75, 90, 100
 */
public record DefineBudgetCommand(String commandId, String ledgerId, String budgetId, Scope scope, BudgetPeriod period,
        long limitCredits, List<Integer> thresholdsPercent, boolean autoDisable, String actor) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineBudget(this);
    }
}

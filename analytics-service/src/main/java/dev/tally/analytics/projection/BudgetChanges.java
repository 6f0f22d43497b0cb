package dev.tally.analytics.projection;

import dev.tally.events.ledger.BudgetDefinedEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a poll's events do to {@code budget}, one change per budget: a definition replaces the row (and brings a
 * removed budget back), a removal marks it removed. Folded because one upsert statement may touch a row only once.
 */
final class BudgetChanges {

    private final Map<String, Change> changes = new LinkedHashMap<>();

    void define(BudgetDefinedEvent event) {
        changes.put(event.budgetId(), new Change(event, false));
    }

    void remove(String budgetId) {
        Change change = changes.get(budgetId);
        changes.put(budgetId, new Change(change == null ? null : change.definition(), true));
    }

    /** Budgets (re)defined in the poll, with whether a removal followed the last definition. */
    List<Change> definitions() {
        return changes.values().stream().filter(c -> c.definition() != null).toList();
    }

    /** Budgets only removed in the poll: defined earlier, if at all. */
    List<String> removals() {
        return changes.entrySet().stream().filter(e -> e.getValue().definition() == null).map(Map.Entry::getKey)
                .toList();
    }

    record Change(BudgetDefinedEvent definition, boolean removed) {
    }
}

package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

public record BudgetDefinedEvent(String ledgerId, String commandId, Instant occurredAt, String budgetId, Scope scope,
        BudgetPeriod period, long limitCredits, List<Integer> thresholdsPercent, boolean autoDisable, String actor)
        implements LedgerEvent {
}

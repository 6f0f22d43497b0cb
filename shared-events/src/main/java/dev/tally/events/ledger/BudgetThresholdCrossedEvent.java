package dev.tally.events.ledger;

import java.time.Instant;
import java.time.LocalDate;

/** Emitted once per threshold per budget window, when charged spend reaches {@code thresholdPercent} of the limit. */
public record BudgetThresholdCrossedEvent(String ledgerId, String commandId, Instant occurredAt, String budgetId,
        Scope scope, BudgetPeriod period, LocalDate windowStart, int thresholdPercent, long spentCredits,
        long limitCredits) implements LedgerEvent {
}

package dev.tally.events.ledger;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Emitted once per budget window: when charged spend reaches the limit, or when the budget first refuses a
 * reservation. With {@code autoDisable} governance disables the budget's target.
 */
public record BudgetExhaustedEvent(String ledgerId, String commandId, Instant occurredAt, String budgetId,
        Scope scope, BudgetPeriod period, LocalDate windowStart, long spentCredits, long limitCredits,
        boolean autoDisable) implements LedgerEvent {
}

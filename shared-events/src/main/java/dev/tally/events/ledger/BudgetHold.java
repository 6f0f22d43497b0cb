package dev.tally.events.ledger;

import java.time.LocalDate;

/** A reservation counts against this budget's window, the one that started on {@code windowStart}. */
public record BudgetHold(String budgetId, LocalDate windowStart) {
}

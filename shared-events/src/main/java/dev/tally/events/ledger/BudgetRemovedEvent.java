package dev.tally.events.ledger;

import java.time.Instant;

public record BudgetRemovedEvent(String ledgerId, String commandId, Instant occurredAt, String budgetId, String actor)
        implements LedgerEvent {
}

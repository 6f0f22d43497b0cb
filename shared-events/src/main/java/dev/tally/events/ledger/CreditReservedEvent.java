package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/** @param legs how much each account holds; for a critical reservation the last leg may overdraw */
public record CreditReservedEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        long credits, List<Leg> legs, List<BudgetHold> budgets, List<Scope> scopeChain, Priority priority,
        Instant expiresAt) implements LedgerEvent {
}

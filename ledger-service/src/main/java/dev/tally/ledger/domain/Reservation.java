package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

/** An open hold: credits taken from accounts' availability and from budgets' windows until posted or voided. */
record Reservation(String id, long credits, List<Leg> legs, List<BudgetHold> budgets, List<Scope> scopeChain,
        Priority priority, Instant expiresAt) {
}

package dev.tally.events.ledger;

import java.time.Instant;
import java.util.List;

/** @param budgetId the budget that refused, when {@code reason} is {@link RejectionReason#BUDGET_EXCEEDED} */
public record CreditReservationRejectedEvent(String ledgerId, String commandId, Instant occurredAt,
        String reservationId, long credits, List<Scope> scopeChain, RejectionReason reason, String budgetId,
        String detail) implements LedgerEvent {
}

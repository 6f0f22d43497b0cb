package dev.tally.events.ledger;

/** @param budgetId the budget that refused, when {@code reason} is {@link RejectionReason#BUDGET_EXCEEDED} */
public record CommandRejectedReply(String commandId, String ledgerId, RejectionReason reason, String detail,
        String budgetId) implements LedgerReply {
}

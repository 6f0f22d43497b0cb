package dev.tally.events.ledger;

/**
 * @param budgetId the budget that refused, when {@code reason} is {@link RejectionReason#BUDGET_EXCEEDED}
 * @param reservedCredits for a refused reservation: what open reservations (other requests, gateways' leases) held of
 *                        the refusing budget, or of the accounts when their balance refused, at that moment. Credit
 *                        that may come back: a gateway may wait for other replicas to return what their leases hold
 *                        instead of refusing while it is held. Zero otherwise.
 */
public record CommandRejectedReply(String commandId, String ledgerId, RejectionReason reason, String detail,
        String budgetId, long reservedCredits) implements LedgerReply {

    public CommandRejectedReply(String commandId, String ledgerId, RejectionReason reason, String detail,
            String budgetId) {
        this(commandId, ledgerId, reason, detail, budgetId, 0);
    }
}

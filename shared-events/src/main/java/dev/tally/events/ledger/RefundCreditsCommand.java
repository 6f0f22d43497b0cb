package dev.tally.events.ledger;

/** Gives credits back to an account, e.g. for a reversed charge; {@code reservationId} references it when known. */
public record RefundCreditsCommand(String commandId, String ledgerId, String accountId, long credits,
        String reservationId, String actor, String reason) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.refundCredits(this);
    }
}

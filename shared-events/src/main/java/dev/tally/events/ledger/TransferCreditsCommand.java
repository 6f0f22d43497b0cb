package dev.tally.events.ledger;

/** Moves available credits between two accounts of one ledger: allocation, reallocation, approvals, vacation sharing. */
public record TransferCreditsCommand(String commandId, String ledgerId, String fromAccountId, String toAccountId,
        long credits, String actor, String reason) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.transferCredits(this);
    }
}

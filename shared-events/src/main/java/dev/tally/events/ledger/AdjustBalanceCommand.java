package dev.tally.events.ledger;

/** A manual correction; {@code deltaCredits} may be negative but never leaves the account's available balance below zero. */
public record AdjustBalanceCommand(String commandId, String ledgerId, String accountId, long deltaCredits,
        String actor, String reason) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.adjustBalance(this);
    }
}

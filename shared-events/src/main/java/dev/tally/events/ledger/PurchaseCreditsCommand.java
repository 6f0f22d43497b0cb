package dev.tally.events.ledger;

public record PurchaseCreditsCommand(String commandId, String ledgerId, String accountId, long credits, String actor,
        String reference) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.purchaseCredits(this);
    }
}

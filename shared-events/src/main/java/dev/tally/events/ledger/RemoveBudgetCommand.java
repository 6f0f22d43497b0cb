package dev.tally.events.ledger;

public record RemoveBudgetCommand(String commandId, String ledgerId, String budgetId, String actor)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.removeBudget(this);
    }
}

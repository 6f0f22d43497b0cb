package dev.tally.events.ledger;

public record RemoveBudgetCommand(String commandId, String ledgerId, String budgetId, String actor)
        implements LedgerCommand {
}

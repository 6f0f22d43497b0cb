package dev.tally.events.ledger;

public record OpenAccountCommand(String commandId, String ledgerId, String accountId, AccountKind kind, String actor)
        implements LedgerCommand {
}

package dev.tally.events.ledger;

public record OpenAccountCommand(String commandId, String ledgerId, String accountId, AccountKind kind, String actor)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.openAccount(this);
    }
}

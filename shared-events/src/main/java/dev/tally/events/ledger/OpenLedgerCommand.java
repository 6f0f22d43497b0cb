package dev.tally.events.ledger;

/** Opens an organisation's ledger with its org pool account; critical reservations may overdraw by at most the limit. */
public record OpenLedgerCommand(String commandId, String ledgerId, String orgAccountId, long criticalOverdraftLimit,
        String actor) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.openLedger(this);
    }
}

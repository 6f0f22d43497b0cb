package dev.tally.events.ledger;

/** The second phase: charges the actual cost of a reserved request and releases the rest. */
public record RecordUsageCommand(String commandId, String ledgerId, String reservationId, long actualCredits,
        long tokensIn, long tokensOut, String model, String provider) implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.recordUsage(this);
    }
}

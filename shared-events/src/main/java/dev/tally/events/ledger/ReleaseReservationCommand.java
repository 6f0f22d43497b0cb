package dev.tally.events.ledger;

public record ReleaseReservationCommand(String commandId, String ledgerId, String reservationId, String reason)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.releaseReservation(this);
    }
}

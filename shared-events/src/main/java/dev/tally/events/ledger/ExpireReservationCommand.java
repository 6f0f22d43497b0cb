package dev.tally.events.ledger;

/** Sent by the ledger itself when a reservation's time to live has passed. */
public record ExpireReservationCommand(String commandId, String ledgerId, String reservationId)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.expireReservation(this);
    }
}

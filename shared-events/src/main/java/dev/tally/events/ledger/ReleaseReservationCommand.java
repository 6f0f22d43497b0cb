package dev.tally.events.ledger;

public record ReleaseReservationCommand(String commandId, String ledgerId, String reservationId, String reason)
        implements LedgerCommand {
}

package dev.tally.events.ledger;

import java.util.List;

/**
 * Charges requests against a lease: a reservation a gateway holds for many requests of one member. Unlike
 * {@link RecordUsageCommand} the reservation stays open with what is left; the gateway releases the rest (or the
 * ledger expires it) when it stops using the lease. Each charge becomes one {@link LeaseChargedEvent}, so the audit
 * trail keeps one entry per request however many a command carries.
 *
 * @param reservationId the lease
 * @param charges in the order the gateway served them; at least one
 */
public record ChargeLeaseCommand(String commandId, String ledgerId, String reservationId, List<LeaseCharge> charges)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.chargeLease(this);
    }
}

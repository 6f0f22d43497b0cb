package dev.tally.events.ledger;

import java.util.List;

/**
 * What one lease's settlement carries: the requests served from it since its last settlement, and whether its rest
 * goes back now. The charges are applied before the release, as a {@link ChargeLeaseCommand} and a
 * {@link ReleaseReservationCommand} would be.
 *
 * @param reservationId the lease
 * @param charges in the order the gateway served them; may be empty when the lease is only released
 * @param release whether the rest of the lease is returned after the charges
 * @param reason why it is returned (kept on the release event); null when not released
 */
public record LeaseSettlement(String reservationId, List<LeaseCharge> charges, boolean release, String reason) {

    public LeaseSettlement {
        charges = charges == null ? List.of() : List.copyOf(charges);
    }
}

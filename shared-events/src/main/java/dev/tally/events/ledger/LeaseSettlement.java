package dev.tally.events.ledger;

import java.util.List;

/**
 * What one lease's settlement carries: a renewal of its time to live, the requests served from it since its last
 * settlement, and whether its rest goes back now. They are applied in that order: the renewal, then the charges as a
 * {@link ChargeLeaseCommand} would, then the release as a {@link ReleaseReservationCommand} would.
 *
 * @param reservationId the lease
 * @param charges in the order the gateway served them; may be empty when the lease is only renewed or released
 * @param release whether the rest of the lease is returned after the charges
 * @param reason why it is returned (kept on the release event); null when not released
 * @param renewTtlSeconds when positive, the lease's expiry becomes now plus this many seconds, never earlier than it
 *                        already is, so a long request keeps its lease; 0 (or absent) renews nothing
 */
public record LeaseSettlement(String reservationId, List<LeaseCharge> charges, boolean release, String reason,
        Long renewTtlSeconds) {

    public LeaseSettlement {
        charges = charges == null ? List.of() : List.copyOf(charges);
        // Boxed and defaulted: a settlement written before renewals has no such field.
        renewTtlSeconds = renewTtlSeconds == null ? 0L : renewTtlSeconds;
    }

    /** A settlement that renews nothing. */
    public LeaseSettlement(String reservationId, List<LeaseCharge> charges, boolean release, String reason) {
        this(reservationId, charges, release, reason, 0L);
    }

    public boolean renews() {
        return renewTtlSeconds != 0;
    }
}

package dev.tally.events.ledger;

import java.util.List;

/**
 * Settles many leases of one ledger in one command: the charges of the requests each served and the release of
 * those the gateway stopped using. A gateway serving many members of one organisation holds one lease per member;
 * one command per settlement window for all of them, instead of a charge and a release per lease, is what keeps the
 * organisation's ledger from serialising several commands per request when traffic is spread over many members.
 * The ledger applies each lease's part as the corresponding {@link ChargeLeaseCommand} and
 * {@link ReleaseReservationCommand} would be applied, in order, so the events (one {@link LeaseChargedEvent} per
 * request, one {@link ReservationReleasedEvent} per release) are the same as theirs. A lease no longer open (expired)
 * is skipped and named in the reply; the others are settled.
 *
 * @param leases at least one; each lease at most once
 */
public record SettleLeasesCommand(String commandId, String ledgerId, List<LeaseSettlement> leases)
        implements LedgerCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.settleLeases(this);
    }
}

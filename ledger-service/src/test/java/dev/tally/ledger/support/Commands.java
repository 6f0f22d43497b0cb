package dev.tally.ledger.support;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;

import java.util.List;
import java.util.UUID;

/** Short constructors for the commands integration tests and the benchmark send. */
public final class Commands {

    public static final String ORG_POOL = "org-pool";

    private Commands() {
    }

    public static String id() {
        return UUID.randomUUID().toString();
    }

    public static OpenLedgerCommand openLedger(String ledgerId) {
        return new OpenLedgerCommand(id(), ledgerId, ORG_POOL, 0, "test");
    }

    public static OpenAccountCommand openAccount(String ledgerId, String accountId, AccountKind kind) {
        return new OpenAccountCommand(id(), ledgerId, accountId, kind, "test");
    }

    public static PurchaseCreditsCommand purchase(String ledgerId, long credits) {
        return new PurchaseCreditsCommand(id(), ledgerId, ORG_POOL, credits, "test", "topup-" + id());
    }

    public static ReserveCreditCommand reserve(String ledgerId, String reservationId, long credits, long ttlSeconds) {
        return new ReserveCreditCommand(reservationId, ledgerId, reservationId,
                List.of(new Scope(ScopeLevel.ORG, ledgerId)), List.of(ORG_POOL), credits, Priority.NORMAL, ttlSeconds);
    }

    public static RecordUsageCommand usage(String ledgerId, String reservationId, long actualCredits) {
        return new RecordUsageCommand("usage-" + reservationId, ledgerId, reservationId, actualCredits, 100, 20,
                "gpt-4o-mini", "openai");
    }

    /** One charge per cost, request ids {@code req-1, req-2, ...} after {@code firstRequest - 1}. */
    public static ChargeLeaseCommand chargeLease(String ledgerId, String leaseId, int firstRequest, long... costs) {
        List<LeaseCharge> charges = new java.util.ArrayList<>();
        for (int i = 0; i < costs.length; i++) {
            charges.add(new LeaseCharge("req-" + (firstRequest + i), Long.MAX_VALUE, costs[i], 100, 20, "gpt-4o-mini", "openai"));
        }
        return new ChargeLeaseCommand(id(), ledgerId, leaseId, charges);
    }

    public static ReleaseReservationCommand release(String ledgerId, String reservationId) {
        return new ReleaseReservationCommand(id(), ledgerId, reservationId, "lease returned");
    }
}

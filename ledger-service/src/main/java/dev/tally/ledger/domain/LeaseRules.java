package dev.tally.ledger.domain;

import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReservationRenewedEvent;
import dev.tally.events.ledger.SettleLeasesCommand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_LEDGER;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LedgerRules.MAX_TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerRules.alertsAfterCharge;
import static dev.tally.ledger.domain.LedgerRules.blank;
import static dev.tally.ledger.domain.LedgerRules.budgetsCanCount;
import static dev.tally.ledger.domain.LedgerRules.overflow;
import static dev.tally.ledger.domain.Overdraft.overdrawn;
import static dev.tally.ledger.domain.ReservationRules.release;

/**
 * The rules of credit leases: charges against a lease (late ones through {@link LateCharges}) and settlements of many
 * leases in one command.
 */
final class LeaseRules {

    private LeaseRules() {
    }

    /**
     * Charges each request against the lease in turn: what the gateway held for it, as far as the lease still holds
     * it, from the lease's legs; the rest of its actual cost as an {@link Overdraft}. The lease stays open with what
     * is left: its release or expiry gives that back.
     */
    static Decision chargeLease(LedgerState state, ChargeLeaseCommand c, Instant now) {
        Reservation lease = state.reservations.get(c.reservationId());
        ExpiredLease expired = state.expiredLeases.get(c.reservationId());
        if (lease == null && expired == null) {
            return Decision.invalid(c, UNKNOWN_RESERVATION, "lease " + c.reservationId()
                    + " is not open: never made, already settled or released, or expired too long ago");
        }
        Decision invalid = validCharges(c);
        if (invalid != null) {
            return invalid;
        }
        if (lease == null) {
            return LateCharges.charge(state, c, expired, now);
        }
        List<LedgerEvent> events = new ArrayList<>();
        Reservation left = lease;
        long total = 0;
        // What this command's charges took so far, per account: the balance each overdraft alert reports follows them.
        Map<String, Long> paid = new HashMap<>();
        Map<String, Long> unheld = new HashMap<>();
        for (LeaseCharge charge : c.charges()) {
            long held = Math.min(Math.min(charge.actualCredits(), charge.heldCredits()), left.credits());
            Overdraft overdraft = Overdraft.of(left, charge.actualCredits() - held);
            long charged = Math.addExact(held, overdraft.credits());
            List<Leg> parts = left.take(held);
            left = left.less(parts);
            total = Math.addExact(total, charged);
            // A charge of zero is still recorded: the request's tokens belong in the audit trail.
            events.add(new LeaseChargedEvent(c.ledgerId(), c.commandId(), now, c.reservationId(), charge.requestId(),
                    charge.actualCredits(), charged, overdraft.uncollected(), left.credits(), parts, lease.scopeChain(),
                    charge.tokensIn(), charge.tokensOut(), charge.model(), charge.provider(), overdraft.credits(),
                    overdraft.accountId()));
            parts.forEach(part -> {
                paid.merge(part.accountId(), part.credits(), Math::addExact);
                unheld.merge(part.accountId(), part.credits(), Math::addExact);
            });
            if (overdraft.credits() > 0) {
                paid.merge(overdraft.accountId(), overdraft.credits(), Math::addExact);
                Account account = state.accounts.get(overdraft.accountId());
                long balance = Math.subtractExact(account.balance, paid.get(overdraft.accountId()));
                long reserved = account.reserved - unheld.getOrDefault(overdraft.accountId(), 0L);
                events.add(overdrawn(c, now, lease, charge.requestId(), overdraft, balance, balance - reserved));
            }
        }
        for (Map.Entry<String, Long> account : paid.entrySet()) {
            Math.subtractExact(state.accounts.get(account.getKey()).balance, account.getValue());
        }
        budgetsCanCount(state, lease.budgets(), total);
        events.addAll(alertsAfterCharge(state, c, lease.budgets(), lease.id(), total, now));
        return Decision.accept(c, total, events.toArray(LedgerEvent[]::new));
    }

    /**
     * Decides a settlement lease by lease: each lease's charges as a {@link ChargeLeaseCommand}, then its release as a
     * {@link ReleaseReservationCommand}, each part seeing the state the parts before it left ({@code apply} must fold
     * a part's events into {@code state} before this returns to the next one, as Axon's {@code apply} does). Events
     * carry the settlement's command id. The charges of a lease that expired meanwhile are still charged, outside any
     * hold ({@link LateCharges}); its renewal and release are skipped, as is a lease the ledger never knew or forgot.
     * An ill-formed settlement is refused whole, before anything is applied.
     */
    public static LedgerReply settle(LedgerState state, SettleLeasesCommand c, Instant now,
            Consumer<LedgerEvent> apply) {
        if (!state.isOpen()) {
            return Decision.invalid(c, UNKNOWN_LEDGER, "no ledger " + c.ledgerId()).reply();
        }
        Decision invalid = validSettlement(c);
        if (invalid != null) {
            return invalid.reply();
        }
        long charged = 0;
        String outcome = null;
        for (LeaseSettlement lease : c.leases()) {
            if (lease.renews()) {
                LedgerEvent renewed = renewal(state, c, lease, now);
                if (renewed != null) {
                    apply.accept(renewed);
                    outcome = outcome == null ? LedgerMessageTypes.nameOf(renewed) : outcome;
                }
            }
            if (!lease.charges().isEmpty()) {
                CommandAcceptedReply charge = applied(exactly(c, () -> chargeLease(state, new ChargeLeaseCommand(
                        c.commandId(), c.ledgerId(), lease.reservationId(), lease.charges()), now)), apply);
                if (charge != null) {
                    charged = saturatedAdd(charged, charge.credits());
                    outcome = outcome == null ? charge.outcome() : outcome;
                }
            }
            if (lease.release()) {
                CommandAcceptedReply released = applied(release(state, new ReleaseReservationCommand(c.commandId(),
                        c.ledgerId(), lease.reservationId(), lease.reason()), now), apply);
                outcome = outcome == null && released != null ? released.outcome() : outcome;
            }
        }
        // "Nothing": every lease named had ended before its settlement arrived, and none of them had charges to take.
        return new CommandAcceptedReply(c.commandId(), c.ledgerId(), outcome == null ? "Nothing" : outcome,
                charged);
    }

    /**
     * A lease's new expiry: now plus the renewal, never earlier than it already was, so a long request keeps its lease
     * and a late or repeated renewal cannot shorten it. Null when the lease is not open (it ended; skipped like its
     * other parts) or would not expire any later.
     */
    static ReservationRenewedEvent renewal(LedgerState state, SettleLeasesCommand c, LeaseSettlement lease,
            Instant now) {
        Reservation reservation = state.reservations.get(lease.reservationId());
        if (reservation == null) {
            return null;
        }
        Instant until = now.plusSeconds(lease.renewTtlSeconds());
        return until.isAfter(reservation.expiresAt())
                ? new ReservationRenewedEvent(c.ledgerId(), c.commandId(), now, lease.reservationId(), until)
                : null;
    }

    /** Applies an accepted part's events; a refused part (its lease is not open) changes nothing. */
    static CommandAcceptedReply applied(Decision part, Consumer<LedgerEvent> apply) {
        if (!(part.reply() instanceof CommandAcceptedReply accepted)) {
            return null;
        }
        part.events().forEach(apply);
        return accepted;
    }

    static Decision validSettlement(SettleLeasesCommand c) {
        if (c.leases() == null || c.leases().isEmpty() || c.leases().stream().anyMatch(lease -> lease == null
                || blank(lease.reservationId()) || (lease.charges().isEmpty() && !lease.release() && !lease.renews()))) {
            return Decision.invalid(c, INVALID_COMMAND,
                    "at least one lease, each with a reservation_id and charges, a release or a renewal, is required");
        }
        if (c.leases().stream().anyMatch(lease -> lease.renewTtlSeconds() < 0
                || lease.renewTtlSeconds() > MAX_TTL_SECONDS)) {
            return Decision.invalid(c, INVALID_COMMAND,
                    "renew_ttl_seconds must lie between 0 (no renewal) and " + MAX_TTL_SECONDS);
        }
        if (c.leases().stream().map(LeaseSettlement::reservationId).distinct().count() < c.leases().size()) {
            return Decision.invalid(c, INVALID_COMMAND, "each lease may be settled once per command");
        }
        for (LeaseSettlement lease : c.leases()) {
            if (!lease.charges().isEmpty()) {
                Decision invalid = validCharges(new ChargeLeaseCommand(c.commandId(), c.ledgerId(),
                        lease.reservationId(), lease.charges()));
                if (invalid != null) {
                    return Decision.invalid(c, ((CommandRejectedReply) invalid.reply()).reason(),
                            "lease " + lease.reservationId() + ": " + ((CommandRejectedReply) invalid.reply()).detail());
                }
            }
        }
        return null;
    }

    static Decision validCharges(ChargeLeaseCommand c) {
        if (c.charges() == null || c.charges().isEmpty()
                || c.charges().stream().anyMatch(charge -> charge == null || blank(charge.requestId()))) {
            return Decision.invalid(c, INVALID_COMMAND, "at least one charge, each with a request_id, is required");
        }
        // The same request twice in one command is a gateway bug that would charge the member twice.
        if (c.charges().stream().map(LeaseCharge::requestId).distinct().count() < c.charges().size()) {
            return Decision.invalid(c, INVALID_COMMAND, "each request_id may be charged once per command");
        }
        if (c.charges().stream().anyMatch(charge -> charge.actualCredits() < 0 || charge.heldCredits() < 0
                || charge.tokensIn() < 0 || charge.tokensOut() < 0)) {
            return Decision.invalid(c, INVALID_AMOUNT,
                    "held_credits, actual_credits and token counts must not be negative");
        }
        return null;
    }

    /** A settlement's part whose sums would pass a long is refused like any command, and skipped. */
    static Decision exactly(LedgerCommand c, java.util.function.Supplier<Decision> part) {
        try {
            return part.get();
        } catch (ArithmeticException e) {
            return Decision.invalid(c, INVALID_AMOUNT, overflow());
        }
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }
}

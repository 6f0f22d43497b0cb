package dev.tally.gateway.lease;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The ledger's rules for one budget, as far as leases touch them: a reservation gets what fits down to its minimum
 * or is refused, a lease charge is
 * capped at what was held for the request and at what the lease still holds, a release returns the rest. Records every
 * command so tests can check what a gateway sent and in which order.
 */
final class BudgetOnlyLedger implements Function<LedgerCommand, CompletableFuture<LedgerReply>> {

    final List<LedgerCommand> commands = new ArrayList<>();
    private final long limit;
    private long charged;
    private final Map<String, Long> open = new HashMap<>();
    private final Map<String, Long> chargedByRequest = new HashMap<>();
    private final Set<String> appliedCommands = new HashSet<>();

    BudgetOnlyLedger(long limit) {
        this.limit = limit;
    }

    @Override
    public synchronized CompletableFuture<LedgerReply> apply(LedgerCommand command) {
        commands.add(command);
        return CompletableFuture.completedFuture(answer(command));
    }

    private LedgerReply answer(LedgerCommand command) {
        if (!appliedCommands.add(command.commandId())) {
            return accepted(command, 0);
        }
        if (command instanceof ReserveCreditCommand c) {
            long room = limit - charged - reserved();
            if (room < c.floorCredits()) {
                return new CommandRejectedReply(c.commandId(), c.ledgerId(), RejectionReason.BUDGET_EXCEEDED,
                        "budget b1 has " + room + " left", "b1", reserved());
            }
            long granted = Math.min(c.credits(), room);
            open.put(c.reservationId(), granted);
            return accepted(c, granted);
        }
        if (command instanceof SettleLeasesCommand c) {
            long total = 0;
            for (LeaseSettlement lease : c.leases()) {
                if (!open.containsKey(lease.reservationId())) {
                    continue; // the ledger skips a lease that is not open
                }
                total += charge(lease.reservationId(), lease.charges());
                if (lease.release()) {
                    open.remove(lease.reservationId());
                }
            }
            return accepted(c, total);
        }
        if (command instanceof ReleaseReservationCommand c) {
            Long holds = open.remove(c.reservationId());
            return holds == null ? new CommandRejectedReply(c.commandId(), c.ledgerId(),
                    RejectionReason.UNKNOWN_RESERVATION, "not open", null) : accepted(c, holds);
        }
        throw new IllegalArgumentException("not expected here: " + command);
    }

    private long charge(String leaseId, List<LeaseCharge> charges) {
        long holds = open.get(leaseId);
        long total = 0;
        for (LeaseCharge charge : charges) {
            long part = Math.min(Math.min(charge.actualCredits(), charge.heldCredits()), holds);
            holds -= part;
            total += part;
            chargedByRequest.merge(charge.requestId(), part, Long::sum);
        }
        open.put(leaseId, holds);
        charged += total;
        return total;
    }

    synchronized long charged() {
        return charged;
    }

    synchronized long reserved() {
        return open.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized int openReservations() {
        return open.size();
    }

    synchronized Map<String, Long> chargedByRequest() {
        return Map.copyOf(chargedByRequest);
    }

    synchronized <T extends LedgerCommand> List<T> sent(Class<T> type) {
        return commands.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static LedgerReply accepted(LedgerCommand command, long credits) {
        return new CommandAcceptedReply(command.commandId(), command.ledgerId(), "ok", credits);
    }
}

package dev.tally.gateway.lease;

import dev.tally.events.id.TimeOrderedIds;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.gateway.ledger.LedgerGateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The charges and releases of this replica's leases, sent to each organisation's ledger as one {@code SettleLeases}
 * command per settlement window instead of a command per lease: with traffic spread over many members, each holding
 * its own lease, a command per lease made every request cost a ledger command of its own on the organisation's one
 * ledger, which decides them one after another.
 *
 * <p>Per organisation, one command is being written at a time, and what arrives meanwhile waits until Kafka has it:
 * the commands of an organisation share a partition, so the ledger applies them in the order written, and a lease's
 * release is never applied before a charge of that lease that was queued earlier (a release first would leave the
 * charge nothing to charge: a request served free). The release can be queued as soon as the lease's last request
 * ends.
 *
 * <p>A charge is durable once it is in this replica's {@link ChargeJournal} (on disk): {@link #charge} returns when
 * that is, and the gateway holds the answer's last byte until then, so a gateway that dies after answering has not
 * served the request free. Each command is journaled before it is sent and marked answered once the ledger confirms
 * it; what a previous run left unsettled is sent at start ({@link #recover}).
 */
final class LeaseSettlements {

    private static final int MAX_CHARGES_PER_COMMAND = 500;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LeaseSettlements.class);

    private final LedgerGateway ledger;
    private final ChargeJournal journal;
    private final ScheduledExecutorService timers;
    private final long delayNanos;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    /** Set when the replica closes: what is queued goes at once instead of waiting for company. */
    private volatile boolean immediate;

    LeaseSettlements(LedgerGateway ledger, ChargeJournal journal, ScheduledExecutorService timers, long delayNanos) {
        this.ledger = ledger;
        this.journal = journal;
        this.timers = timers;
        this.delayNanos = delayNanos;
    }

    /** Journals and queues the charge; the future completes once it is in the journal (or fails if it cannot be). */
    CompletableFuture<Void> charge(LeaseLine line, Lease lease, LeaseCharge charge) {
        CompletableFuture<Void> journaled = journal.append(ChargeJournal.JournalRecord.charge(line.key.orgId(),
                lease.id, charge));
        queue(line).add(line, lease, charge, false);
        return journaled;
    }

    /**
     * Sends what a previous run of this replica left unsettled: its unanswered commands again under their own ids
     * (the ledger applies a command once), its charges that never went in a command in new ones. A charge whose lease
     * expired meanwhile (the restart took longer than the lease's TTL) is charged all the same, outside any hold.
     */
    void recover(ChargeJournal.Outstanding outstanding) {
        if (outstanding.isEmpty()) {
            return;
        }
        log.info("Settling what the previous run left: {} commands to send again, {} charges not sent yet",
                outstanding.unansweredCommands().size(), outstanding.unsentCharges().size());
        for (ChargeJournal.JournalRecord command : outstanding.unansweredCommands()) {
            sendJournaled(command.commandId(), command.orgId(), command.leases());
        }
        Map<String, Map<String, List<LeaseCharge>>> byOrgAndLease = new LinkedHashMap<>();
        for (ChargeJournal.JournalRecord charge : outstanding.unsentCharges()) {
            byOrgAndLease.computeIfAbsent(charge.orgId(), org -> new LinkedHashMap<>())
                    .computeIfAbsent(charge.leaseId(), lease -> new ArrayList<>()).add(charge.charge());
        }
        byOrgAndLease.forEach((orgId, leases) -> {
            List<LeaseSettlement> settlements = new ArrayList<>();
            leases.forEach((leaseId, charges) -> settlements.add(new LeaseSettlement(leaseId, charges, false, null)));
            String commandId = TimeOrderedIds.next();
            journal.append(ChargeJournal.JournalRecord.sent(orgId, commandId, settlements))
                    .whenComplete((done, error) -> sendJournaled(commandId, orgId, settlements));
        });
    }

    /** Sends a journaled command and marks it answered once the ledger confirms it. */
    private CompletableFuture<Void> sendJournaled(String commandId, String orgId, List<LeaseSettlement> settlements,
            CompletableFuture<Void> written) {
        CompletableFuture<Void> answered = ledger.settleLeases(commandId, orgId, settlements, written);
        answered.thenRun(() -> journal.append(ChargeJournal.JournalRecord.answered(commandId)));
        return answered;
    }

    private void sendJournaled(String commandId, String orgId, List<LeaseSettlement> settlements) {
        sendJournaled(commandId, orgId, settlements, new CompletableFuture<>());
    }

    /** Queues the release of the lease's rest after its queued charges; {@code onReleased} runs once answered. */
    void release(LeaseLine line, Lease lease, Runnable onReleased) {
        queue(line).add(line, lease, null, true);
        lease.released.whenComplete((done, error) -> onReleased.run());
    }

    /** Queues a renewal of the lease's time to live to {@code ttlSeconds} from when the ledger applies it. */
    void renew(LeaseLine line, Lease lease, long ttlSeconds) {
        queue(line).renew(lease, ttlSeconds);
    }

    void sendAtOnce() {
        immediate = true;
        queues.values().forEach(Queue::flush);
    }

    private Queue queue(LeaseLine line) {
        return queues.computeIfAbsent(line.key.orgId(), Queue::new);
    }

    /** What one lease has waiting: charges in the order served, then possibly its release. */
    private static final class Pending {
        final Lease lease;
        final List<LeaseCharge> charges = new ArrayList<>();
        boolean release;
        /** A renewal to send with the lease's next settlement; 0 for none. */
        long renewTtlSeconds;

        Pending(Lease lease) {
            this.lease = lease;
        }
    }

    /** One organisation's settlements; its monitor guards them. Taken after a line's lock, never before one. */
    private final class Queue {

        private final String orgId;
        private final Map<Lease, Pending> pending = new LinkedHashMap<>();
        private boolean sending;
        private boolean scheduled;

        Queue(String orgId) {
            this.orgId = orgId;
        }

        synchronized void add(LeaseLine line, Lease lease, LeaseCharge charge, boolean release) {
            Pending entry = pending.computeIfAbsent(lease, Pending::new);
            if (charge != null) {
                entry.charges.add(charge);
            }
            entry.release |= release;
            schedule();
        }

        synchronized void renew(Lease lease, long ttlSeconds) {
            pending.computeIfAbsent(lease, Pending::new).renewTtlSeconds = ttlSeconds;
            schedule();
        }

        /** Sends after the settlement window (none by default), so that what finishes meanwhile shares the command. */
        private void schedule() {
            if (sending || scheduled || pending.isEmpty()) {
                return;
            }
            scheduled = true;
            try {
                if (immediate || delayNanos <= 0) {
                    timers.execute(this::send);
                } else {
                    timers.schedule(this::send, delayNanos, TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException closed) {
                // The replica is closing and a request finished after its timers stopped: send on this thread
                // rather than lose the charge.
                send();
            }
        }

        synchronized void flush() {
            if (!sending && !pending.isEmpty() && !scheduled) {
                schedule();
            }
        }

        private void send() {
            List<LeaseSettlement> settlements = new ArrayList<>();
            List<Lease> releasing = new ArrayList<>();
            synchronized (this) {
                scheduled = false;
                if (sending || pending.isEmpty()) {
                    return;
                }
                int room = MAX_CHARGES_PER_COMMAND;
                var entries = pending.values().iterator();
                while (entries.hasNext() && room > 0) {
                    Pending entry = entries.next();
                    int taken = Math.min(room, entry.charges.size());
                    List<LeaseCharge> charges = List.copyOf(entry.charges.subList(0, taken));
                    entry.charges.subList(0, taken).clear();
                    room -= taken;
                    // The release only goes with the last of the lease's charges.
                    boolean release = entry.release && entry.charges.isEmpty();
                    if (!charges.isEmpty() || release || entry.renewTtlSeconds > 0) {
                        settlements.add(new LeaseSettlement(entry.lease.id, charges, release,
                                release ? "lease returned" : null, entry.renewTtlSeconds));
                        entry.renewTtlSeconds = 0;
                    }
                    if (release) {
                        releasing.add(entry.lease);
                    }
                    if (entry.charges.isEmpty()) {
                        entries.remove();
                    }
                }
                sending = true;
            }
            String commandId = TimeOrderedIds.next();
            CompletableFuture<Void> written = new CompletableFuture<>();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            // Journaled before it goes: if this process dies after sending it, the next start sends it again under
            // the same id, which the ledger applies once, instead of its charges again in a new command.
            journal.append(ChargeJournal.JournalRecord.sent(orgId, commandId, settlements))
                    .whenComplete((journaled, notJournaled) -> {
                        try {
                            sendJournaled(commandId, orgId, settlements, written).whenComplete((done, error) ->
                                    answered.complete(null));
                        } catch (RuntimeException closed) {
                            // The ledger client is closing: the ledger's expiry releases the leases; the journal
                            // keeps the charges for the next start.
                            written.completeExceptionally(closed);
                            answered.complete(null);
                        }
                    });
            // The next command may go once this one is on the partition (or will never be): the order is kept.
            CompletableFuture.anyOf(written, answered).whenComplete((done, error) -> {
                synchronized (this) {
                    sending = false;
                    schedule();
                }
            });
            answered.whenComplete((done, error) -> releasing.forEach(lease -> lease.released.complete(null)));
        }
    }
}

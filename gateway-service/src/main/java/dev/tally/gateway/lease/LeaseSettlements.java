package dev.tally.gateway.lease;

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
 * <p>A charge is durable once its command is written: {@link #charge} returns when that is, and the gateway holds
 * the answer's last byte until then, so a gateway that dies after answering has not served the request free. This is
 * a group commit: a command goes as soon as the previous one is written (after {@code delayNanos}, when set), with
 * every charge that finished meanwhile, so the busier an organisation, the more charges share a command.
 */
final class LeaseSettlements {

    private static final int MAX_CHARGES_PER_COMMAND = 500;

    private final LedgerGateway ledger;
    private final ScheduledExecutorService timers;
    private final long delayNanos;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    /** Set when the replica closes: what is queued goes at once instead of waiting for company. */
    private volatile boolean immediate;

    LeaseSettlements(LedgerGateway ledger, ScheduledExecutorService timers, long delayNanos) {
        this.ledger = ledger;
        this.timers = timers;
        this.delayNanos = delayNanos;
    }

    /** Queues the charge; the future completes once the command carrying it is written (or fails if it never is). */
    CompletableFuture<Void> charge(LeaseLine line, Lease lease, LeaseCharge charge) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        queue(line).add(line, lease, charge, written, false);
        return written;
    }

    /** Queues the release of the lease's rest after its queued charges; {@code onReleased} runs once answered. */
    void release(LeaseLine line, Lease lease, Runnable onReleased) {
        queue(line).add(line, lease, null, null, true);
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
        /** Completed when the charge at the same index is written. */
        final List<CompletableFuture<Void>> written = new ArrayList<>();
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

        synchronized void add(LeaseLine line, Lease lease, LeaseCharge charge, CompletableFuture<Void> written,
                boolean release) {
            Pending entry = pending.computeIfAbsent(lease, Pending::new);
            if (charge != null) {
                entry.charges.add(charge);
                entry.written.add(written);
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
            List<CompletableFuture<Void>> durable = new ArrayList<>();
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
                    durable.addAll(entry.written.subList(0, taken));
                    entry.written.subList(0, taken).clear();
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
            CompletableFuture<Void> written = new CompletableFuture<>();
            CompletableFuture<Void> answered;
            try {
                answered = ledger.settleLeases(orgId, settlements, written);
            } catch (RuntimeException closed) {
                // The ledger client is closing: the ledger's expiry releases the leases; charges not sent are lost
                // with this replica, as its shutdown log says.
                answered = CompletableFuture.completedFuture(null);
                written.completeExceptionally(closed);
            }
            written.whenComplete((done, error) -> durable.forEach(charge -> {
                if (error == null) {
                    charge.complete(null);
                } else {
                    charge.completeExceptionally(error);
                }
            }));
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

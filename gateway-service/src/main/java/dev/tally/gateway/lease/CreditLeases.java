package dev.tally.gateway.lease;

import dev.tally.events.governance.BudgetState;
import dev.tally.events.id.TimeOrderedIds;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.ledger.CreditRefusal;
import dev.tally.gateway.ledger.LedgerGateway;
import dev.tally.gateway.state.GovernanceView;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Credit leases: instead of one ledger round trip per request before the provider is called, this replica reserves
 * a block of credit for a member's chain (an ordinary reservation, so the ledger checks balance and every budget as
 * for one request) and carves requests out of it in memory. Each request's actual cost is charged against the lease
 * and the rest released when the lease retires, both through {@link LeaseSettlements}: one command per organisation
 * per settlement window, whatever the number of leases. So no number of
 * replicas can overspend (the ledger never holds more than a budget allows), and the reservation round trip leaves
 * the hot path for all but the request that finds no lease.
 *
 * <p>What a lease costs is credit held by one replica that another one's request could have used: leases are sized to
 * about a second of the member's own rate (for a member asking less often, to what it asks in a lease's life, up to
 * 16 requests), at most {@code 1/budgetShare} of the smallest budget on the chain; the
 * ledger grants less when less fits (refusing only when not even the asking request fits), after which the chain's
 * leases are the request's own size for a second (the budget is nearly spent); and they are returned after
 * {@code idleRelease} without use.
 */
@Component
public class CreditLeases {

    private static final Logger log = LoggerFactory.getLogger(CreditLeases.class);
    /** How often a request waits for another request's lease before reserving its own. */
    private static final int WAITS = 3;
    private static final int MIN_REQUESTS_PER_LEASE = 4;
    /** The most requests a lease is sized for by its member's gap between requests (rather than its rate). */
    private static final int SLOW_MEMBER_REQUESTS = 32;
    private static final long EXACT_WHEN_SHORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A refused request whose credit may sit in other replicas' leases asks again after this long. */
    private static final Duration ASK_AGAIN_AFTER = Duration.ofMillis(200);

    private final LedgerGateway ledger;
    private final GovernanceView view;
    private final LeaseSettings settings;
    private final Clock clock;
    /** The ledger's time to live of a lease; renewed while a request of the lease runs. */
    private final long ttlNanos;
    /**
     * One line per chain this replica has served; never removed (a line without leases is a few fields), so at most
     * members × projects × priorities of the organisations it serves.
     */
    private final ConcurrentHashMap<LeaseKey, LeaseLine> lines = new ConcurrentHashMap<>();
    /** The same lines by organisation: a refused request looks for credit held by its organisation's leases only. */
    private final ConcurrentHashMap<String, Set<LeaseLine>> linesByOrg = new ConcurrentHashMap<>();
    /** Retires idle leases and sends delayed charges. */
    private final ScheduledExecutorService timers;
    /** This replica's charges on disk, before their answers go. */
    private final ChargeJournal journal;
    /** Charges and releases, one command per organisation per settlement window. */
    private final LeaseSettlements settlements;
    /** Retired leases whose release is not sent yet; close() waits for none to be left. */
    private final AtomicInteger awaitingRelease =
            new AtomicInteger();
    private final CompletableFuture<Void> allReleased = new CompletableFuture<>();
    /** Leases retired so far, by why: says whether leases live as long as their sizing meant (see LeaseGauges). */
    private final Map<RetireReason, LongAdder> retirements = new EnumMap<>(RetireReason.class);

    {
        for (RetireReason reason : RetireReason.values()) {
            retirements.put(reason, new LongAdder());
        }
    }
    private volatile boolean closing;

    @Autowired
    public CreditLeases(LedgerGateway ledger, GovernanceView view, LeaseSettings settings, JournalSettings journal) {
        this(ledger, view, settings, new ChargeJournal(journal.directory(), journal.maxSizeBytes()),
                Clock.systemUTC());
    }

    CreditLeases(LedgerGateway ledger, GovernanceView view, LeaseSettings settings, ChargeJournal journal,
            Clock clock) {
        this.ledger = ledger;
        this.view = view;
        this.settings = settings;
        this.clock = clock;
        this.ttlNanos = ledger.reservationTtl().toNanos();
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "credit-leases");
            thread.setDaemon(true);
            return thread;
        });
        this.journal = journal;
        this.settlements = new LeaseSettlements(ledger, journal, timers, settings.chargeDelay().toNanos());
        settlements.recover(journal.recovered());
        long every = Math.max(10, settings.idleRelease().toMillis() / 4);
        timers.scheduleWithFixedDelay(this::retireIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Carves {@code credits} for one request out of a lease for this chain, reserving a lease first when there is
     * none with room. Fails as a reservation of {@code credits} would: 402 naming the budget, 503 when the ledger
     * does not answer.
     */
    public Mono<LeaseHold> hold(String orgId, String requestId, List<Scope> scopes, List<String> accountIds,
            long credits, Priority priority, boolean user) {
        LeaseLine line = lines.computeIfAbsent(new LeaseKey(orgId, List.copyOf(scopes), List.copyOf(accountIds),
                priority, user), key -> {
                    LeaseLine created = new LeaseLine(key);
                    linesByOrg.computeIfAbsent(orgId, org -> ConcurrentHashMap.newKeySet()).add(created);
                    return created;
                });
        synchronized (line) {
            line.count(System.nanoTime());
        }
        return hold(line, requestId, credits, WAITS);
    }

    private Mono<LeaseHold> hold(LeaseLine line, String requestId, long credits, int waitsLeft) {
        return Mono.defer(() -> {
            CompletableFuture<Throwable> other;
            synchronized (line) {
                long now = System.nanoTime();
                LeaseHold hold = carve(line, requestId, credits, now);
                if (hold != null) {
                    prefetchIfLow(line, credits, now);
                    return Mono.just(hold);
                }
                if (line.acquiring == null || waitsLeft == 0) {
                    CompletableFuture<LeaseHold> acquired = acquire(line, requestId, credits, now);
                    // The reservation goes on for the other requests; a client that left before its hold was handed
                    // over gives its carve back. Once handed over, the request ends it (a cancel reaching this Mono
                    // later, through a flatMap, must not: the call it pays for may still run and be charged).
                    AtomicBoolean handedOver = new AtomicBoolean();
                    return Mono.fromFuture(acquired, true)
                            .doOnNext(carved -> handedOver.set(true))
                            .doOnCancel(() -> {
                                if (!handedOver.get()) {
                                    acquired.thenAccept(LeaseHold::giveBack);
                                }
                            });
                }
                other = line.acquiring;
            }
            // Another request is reserving a lease for this chain: it will likely have room for this one too. If the
            // ledger did not answer it, it would not answer this one either, and the client has waited its timeout.
            return Mono.fromFuture(other, true)
                    .flatMap(error -> unavailable(error) ? Mono.<LeaseHold>error(error) : Mono.<LeaseHold>empty())
                    .switchIfEmpty(Mono.defer(() -> hold(line, requestId, credits, waitsLeft - 1)));
        });
    }

    /** Under the line's lock. Null when the current lease cannot take {@code credits}. */
    private LeaseHold carve(LeaseLine line, String requestId, long credits, long now) {
        Lease lease = line.current;
        if (lease != null && !usable(lease, now)) {
            retire(line, lease, RetireReason.AGE);
            lease = null;
        }
        if (lease == null || lease.available < credits) {
            return null;
        }
        lease.available -= credits;
        lease.holds++;
        lease.lastUsedNanos = now;
        return new LeaseHold(this, line, lease, requestId, credits);
    }

    /**
     * Reserves a lease of at least {@code credits} and carves this request out of it before anyone else can. When the
     * ledger refuses for want of credit, part of what is missing may sit in this replica's own leases (carved by no
     * one, or waiting for their requests before their rest goes back): those are reclaimed and the reservation tried
     * again, so that one replica serves exactly its budget.
     */
    private CompletableFuture<LeaseHold> acquire(LeaseLine line, String requestId, long credits, long now) {
        long reclaimUntil = now + settings.reclaimWait().toNanos();
        CompletableFuture<LeaseHold> held = reserve(line, size(line, credits, now), credits, requestId)
                .exceptionallyCompose(error -> reclaimAndRetry(line, requestId, credits, cause(error),
                        reclaimUntil));
        track(line, held);
        return held;
    }

    /**
     * After a refusal: carves from a lease another request reserved meanwhile if there is room; otherwise retires the
     * organisation's leases that hold credit of the refusing budget or account, waits (until {@code until} at most)
     * for the ledger to confirm their release, and reserves exactly this request's credits again. When no lease of
     * this replica holds such credit but the ledger says open reservations do, other replicas' leases may: each
     * replica returns them when it reads the refusal on {@code tally.ledger.events} ({@link #reclaimAfterRefusal}),
     * so the request asks again a little later. Refused for good when neither holds any, or at {@code until}.
     */
    private CompletableFuture<LeaseHold> reclaimAndRetry(LeaseLine line, String requestId, long credits,
            Throwable refusal, long until) {
        if (!(refusal instanceof CreditRefusal refused)) {
            return CompletableFuture.failedFuture(refusal);
        }
        synchronized (line) {
            LeaseHold hold = carve(line, requestId, credits, System.nanoTime());
            if (hold != null) {
                return CompletableFuture.completedFuture(hold);
            }
        }
        LeaseKey key = line.key;
        List<CompletableFuture<Void>> releases = reclaim(key.orgId(), key.scopes(), key.accountIds(),
                budgetScope(refused.budgetId()));
        long left = until - System.nanoTime();
        if (left <= 0 || (releases.isEmpty() && refused.reservedCredits() < credits)) {
            return CompletableFuture.failedFuture(refusal);
        }
        CompletableFuture<Void> ready = releases.isEmpty()
                ? CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                        Math.min(left, ASK_AGAIN_AFTER.toNanos()), TimeUnit.NANOSECONDS))
                : CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
                        .completeOnTimeout(null, left, TimeUnit.NANOSECONDS);
        return ready.thenCompose(released -> reserve(line, credits, credits, requestId))
                .exceptionallyCompose(error -> reclaimAndRetry(line, requestId, credits, cause(error), until));
    }

    /**
     * Another replica's request was refused for want of credit ({@code CreditReservationRejected}): this replica
     * returns what its leases hold of that budget, or of the organisation's credit when a balance refused, instead
     * of keeping it idle while others are refused.
     */
    public void reclaimAfterRefusal(CreditReservationRejectedEvent refusal) {
        reclaim(refusal.ledgerId(), refusal.scopeChain(), List.of(), budgetScope(refusal.budgetId()));
    }

    private Scope budgetScope(String budgetId) {
        return budgetId == null ? null : view.budget(budgetId).map(BudgetState::scope).orElse(null);
    }

    /**
     * Retires the organisation's leases that hold uncarved credit the refusal was short of — of the budget at
     * {@code budgetScope}, or else of the same accounts or scopes — and makes their lines reserve exactly what each
     * request needs for a while: the credit is nearly spent. Returns the releases to wait for.
     */
    private List<CompletableFuture<Void>> reclaim(String orgId, List<Scope> scopes, List<String> accountIds,
            Scope budgetScope) {
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        long now = System.nanoTime();
        for (LeaseLine other : linesByOrg.getOrDefault(orgId, Set.of())) {
            if (!sharesCredit(other.key, scopes, accountIds, budgetScope)) {
                continue;
            }
            synchronized (other) {
                other.exactUntilNanos = now + EXACT_WHEN_SHORT_NANOS;
                if (other.current != null && other.current.available > 0) {
                    retire(other, other.current, RetireReason.RECLAIMED);
                }
                for (List<Lease> leases : List.of(other.retired, other.releasing)) {
                    for (Lease lease : leases) {
                        if (lease.available > 0 && !lease.released.isDone()) {
                            releases.add(lease.released);
                        }
                    }
                }
            }
        }
        return releases;
    }

    /** Whether {@code other}'s leases hold credit of the budget ({@code budgetScope}) or accounts that refused. */
    private static boolean sharesCredit(LeaseKey other, List<Scope> scopes, List<String> accountIds,
            Scope budgetScope) {
        if (budgetScope != null) {
            return other.scopes().contains(budgetScope);
        }
        return !Collections.disjoint(accountIds, other.accountIds()) || !Collections.disjoint(scopes, other.scopes());
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /** Reserves the next lease ahead of need once the current one runs low and the rate says it will be needed. */
    private void prefetchIfLow(LeaseLine line, long credits, long now) {
        Lease lease = line.current;
        if (line.acquiring != null || now < line.exactUntilNanos || lease.available >= lease.size / 4
                || line.requestsPerSecond() < MIN_REQUESTS_PER_LEASE) {
            return;
        }
        // Requests that come to wait for it learn its failure (see hold); nobody else needs it.
        track(line, reserve(line, size(line, credits, now), credits, null));
    }

    /** Makes {@code acquisition} the line's reservation in flight; it completes with its failure, or null. */
    private void track(LeaseLine line, CompletableFuture<?> acquisition) {
        CompletableFuture<Throwable> done = acquisition.handle((value, error) -> error == null ? null : cause(error));
        synchronized (line) {
            line.acquiring = done;
        }
        done.whenComplete((value, error) -> {
            synchronized (line) {
                if (line.acquiring == done) {
                    line.acquiring = null;
                }
            }
        });
    }

    /**
     * Reserves up to {@code size} and at least {@code floor} in the ledger; the new lease becomes the line's current
     * one and, in the same critical section, {@code floor} credits are carved for {@code requestId} (none when it is
     * null: a prefetch). A lease granted smaller than asked means a budget or balance is nearly spent: the line's
     * next leases ask for exactly their request for a while.
     */
    private CompletableFuture<LeaseHold> reserve(LeaseLine line, long size, long floor, String requestId) {
        LeaseKey key = line.key;
        String leaseId = "lease-" + TimeOrderedIds.next();
        return ledger.reserve(key.orgId(), leaseId, key.scopes(), key.accountIds(), size, floor, key.priority(),
                        key.user())
                .toFuture()
                .thenApply(granted -> {
                    synchronized (line) {
                        long now = System.nanoTime();
                        if (granted < size) {
                            line.exactUntilNanos = now + EXACT_WHEN_SHORT_NANOS;
                        }
                        // Counted from the answer: the ledger's clock started earlier, so this errs on the late side
                        // by a round trip, far inside the renewal's margin of half the TTL.
                        Lease lease = new Lease(leaseId, granted, today(), now, ttlNanos);
                        if (line.current != null) {
                            retire(line, line.current, RetireReason.REPLACED);
                        }
                        line.current = lease;
                        return requestId == null ? null : carve(line, requestId, floor, now);
                    }
                });
    }

    private long size(LeaseLine line, long credits, long now) {
        if (now < line.exactUntilNanos) {
            return credits;
        }
        long byRate = line.requestsPerSecond() * settings.targetWindow().toMillis() / 1000;
        // A member asking every few seconds makes less than one request a second: a second of its rate is the
        // minimum, four requests, and each lease of four meant a reservation and a release per four requests (with
        // 1,000 such members, most of the ledger's commands). Its lease covers what it asks in a lease's life.
        long overLife = Math.min(SLOW_MEMBER_REQUESTS, line.requestsWithin(settings.maxAge().toNanos()));
        long requests = Math.max(MIN_REQUESTS_PER_LEASE, Math.min(settings.maxRequests(), Math.max(byRate, overLife)));
        long size = credits * requests;
        long budgetCap = smallestBudget(line.key.scopes()) / settings.budgetShare();
        return Math.max(credits, Math.min(size, budgetCap));
    }

    private long smallestBudget(List<Scope> scopes) {
        long smallest = Long.MAX_VALUE;
        for (Scope scope : scopes) {
            for (BudgetState budget : view.budgetsAt(scope)) {
                smallest = Math.min(smallest, budget.limitCredits());
            }
        }
        return smallest;
    }

    /** Under the line's lock. */
    ChargeReceipt charge(LeaseLine line, Lease lease, String requestId, long held, long actualCredits, long tokensIn,
            long tokensOut, String model, String provider) {
        // The lease pays at most what was carved for the request; the ledger takes a bill beyond it from the
        // member's account as an overdraft, so the whole actual cost is what the request is charged.
        long fromLease = Math.min(actualCredits, held);
        lease.holds--;
        lease.available += held - fromLease;
        CompletableFuture<Void> written = settlements.charge(line, lease, new LeaseCharge(requestId, held,
                actualCredits, tokensIn, tokensOut, model, provider));
        releaseIfDone(line, lease);
        return new ChargeReceipt(actualCredits, written);
    }

    /** Under the line's lock. */
    void giveBack(LeaseLine line, Lease lease, long held) {
        lease.holds--;
        lease.available += held;
        releaseIfDone(line, lease);
    }

    private void retire(LeaseLine line, Lease lease, RetireReason reason) {
        if (lease.retired) {
            return;
        }
        lease.retired = true;
        retirements.get(reason).increment();
        if (line.current == lease) {
            line.current = null;
        }
        line.retired.add(lease);
        awaitingRelease.incrementAndGet();
        releaseIfDone(line, lease);
    }

    /**
     * The rest of a retired lease goes back once its requests have ended, after their charges (the settlements keep
     * that order): a release before a charge would leave the charge nothing to charge, a request served free.
     */
    private void releaseIfDone(LeaseLine line, Lease lease) {
        if (lease.retired && !lease.releaseSent && lease.holds == 0) {
            lease.releaseSent = true;
            line.retired.remove(lease);
            line.releasing.add(lease);
            settlements.release(line, lease, () -> {
                synchronized (line) {
                    line.releasing.remove(lease);
                }
                if (awaitingRelease.decrementAndGet() == 0 && closing) {
                    allReleased.complete(null);
                }
            });
        }
    }

    private boolean usable(Lease lease, long now) {
        return !lease.retired && now - lease.createdNanos < settings.maxAge().toNanos() && lease.day.equals(today());
    }

    private void retireIdle() {
        long now = System.nanoTime();
        long least = settings.idleRelease().toNanos();
        long most = Math.max(least, settings.maxIdle().toNanos());
        for (LeaseLine line : lines.values()) {
            synchronized (line) {
                Lease lease = line.current;
                if (lease != null && !usable(lease, now)) {
                    retire(line, lease, RetireReason.AGE);
                } else if (lease != null && now - lease.lastUsedNanos >= line.idleNanos(least, most, now)) {
                    retire(line, lease, RetireReason.IDLE);
                }
                renewRunning(line, now);
            }
        }
    }

    /**
     * Under the line's lock. A lease whose requests still run when half its time to live is left is renewed for a
     * whole one: a long request (up to the gateway's maximum request duration) keeps its hold, while the lease of a
     * replica that died still expires one TTL after its last renewal.
     */
    /** Runs for every line on every tick: no allocation on the way. */
    private void renewRunning(LeaseLine line, long now) {
        if (line.current != null) {
            renewIfRunning(line, line.current, now);
        }
        for (Lease lease : line.retired) {
            renewIfRunning(line, lease, now);
        }
    }

    private void renewIfRunning(LeaseLine line, Lease lease, long now) {
        if (lease.holds > 0 && lease.expiresNanos - now < ttlNanos / 2) {
            lease.expiresNanos = now + ttlNanos;
            settlements.renew(line, lease, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(ttlNanos)));
        }
    }

    private static boolean unavailable(Throwable error) {
        return error instanceof GatewayException g && g.status() == HttpStatus.SERVICE_UNAVAILABLE;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Retires every lease and waits (a few seconds at most) until their charges are sent and their rest released. */
    @PreDestroy
    void close() throws InterruptedException {
        closing = true;
        for (LeaseLine line : lines.values()) {
            synchronized (line) {
                if (line.current != null) {
                    retire(line, line.current, RetireReason.CLOSING);
                }
            }
        }
        settlements.sendAtOnce();
        if (awaitingRelease.get() == 0) {
            allReleased.complete(null);
        }
        try {
            allReleased.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} leases not returned at shutdown; the ledger's expiry will release them",
                    awaitingRelease.get());
        }
        timers.shutdownNow();
        journal.close();
    }

    /** Leases retired since the start for {@code reason}: the {@code leases.retired} counter. */
    public long retired(RetireReason reason) {
        return retirements.get(reason).sum();
    }

    /** Leases currently open in the ledger for this replica: for tests and the {@code leases.open} gauge. */
    public int openLeases() {
        int open = 0;
        for (LeaseLine line : lines.values()) {
            synchronized (line) {
                open += line.retired.size() + line.releasing.size() + (line.current == null ? 0 : 1);
            }
        }
        return open;
    }
}

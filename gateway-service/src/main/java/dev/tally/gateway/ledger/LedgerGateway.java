package dev.tally.gateway.ledger;

import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.id.TimeOrderedIds;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerTimeoutException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's side of the two-phase hold: reserve before the provider is called (failing closed when the ledger
 * does not answer), then charge the actual cost or release. A settlement that never arrives is not lost credit: the
 * ledger expires the reservation after its TTL and releases it.
 *
 * <p>Sending can block: {@code KafkaProducer.send} waits for the topic's metadata while the broker is away (up to the
 * reservation timeout). So a reservation is sent off the request's thread (never on a Netty event loop), and charges
 * and releases go through one thread of their own, in order, so that a request's answer never waits for them. A
 * charge the ledger has not confirmed is sent again, with the same command id (the ledger applies it once), until it
 * is confirmed, however long that takes: a charge lost to a Kafka outage would be a request served free, and the
 * ledger charges a lease's charges even after the lease expired.
 */
@Component
public class LedgerGateway {

    private static final Logger log = LoggerFactory.getLogger(LedgerGateway.class);

    /** TokenPool: a refused user learns how to get more. */
    static final String USER_HINT = " Your personal quota is used up: request more with POST /approvals "
            + "{\"amount\": <credits>, \"reason\": \"…\"} on the governance API (your team admin approves it).";
    static final String CRITICAL_HINT = " For urgent work, if a policy allows you critical priority, send "
            + "X-Priority: critical to draw on your team's pool.";

    static final Duration RESEND_CHARGE_AFTER = Duration.ofSeconds(1);

    private final LedgerTransport ledger;
    private final GovernanceView view;
    private final long ttlSeconds;
    private final CircuitBreaker breaker;
    private final ScheduledThreadPoolExecutor settlements;

    @Autowired
    public LedgerGateway(LedgerClient ledger, GovernanceView view, GatewaySettings settings, MeterRegistry metrics) {
        this(new TimedTransport(ledger::send, metrics), view, settings);
    }

    /**
     * Over any transport: tests and tools pass a function that answers commands; a command counts as written once
     * the function has taken it.
     */
    public LedgerGateway(Function<LedgerCommand, CompletableFuture<LedgerReply>> ledger, GovernanceView view,
            GatewaySettings settings) {
        this((LedgerTransport) (command, written) -> {
            CompletableFuture<LedgerReply> reply = ledger.apply(command);
            written.complete(null);
            return reply;
        }, view, settings);
    }

    public LedgerGateway(LedgerTransport ledger, GovernanceView view, GatewaySettings settings) {
        this.ledger = ledger;
        this.view = view;
        this.ttlSeconds = settings.reservationTtl().toSeconds();
        this.settlements = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ledger-settlements");
            thread.setDaemon(true);
            return thread;
        });
        this.breaker = CircuitBreaker.of("ledger", CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .recordException(e -> !(e instanceof GatewayException))
                .build());
    }

    /**
     * Holds up to {@code credits} and at least {@code minimumCredits} on the accounts, checked against every budget of
     * the scopes, atomically in the ledger; emits what the ledger granted.
     */
    public Mono<Long> reserve(String orgId, String reservationId, List<Scope> scopes, List<String> accountIds,
            long credits, long minimumCredits, Priority priority, boolean user) {
        ReserveCreditCommand command = new ReserveCreditCommand(TimeOrderedIds.next(), orgId, reservationId,
                scopes, accountIds, credits, priority, ttlSeconds, minimumCredits);
        long floor = command.floorCredits();
        return Mono.fromFuture(() -> ledger.send(command, new CompletableFuture<>()))
                .subscribeOn(Schedulers.boundedElastic())
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .doOnError(LedgerTimeoutException.class, e -> {
                    // The command may still reach the ledger later; the release follows it on the same partition,
                    // so the hold ends as soon as the ledger catches up instead of when it expires.
                    release(orgId, reservationId, "reservation not confirmed in time");
                })
                .onErrorMap(e -> !(e instanceof GatewayException), e -> GatewayException.ledgerUnavailable(
                        e instanceof CallNotPermittedException
                                ? "The credit ledger is unavailable; requests are refused until it recovers."
                                : "The credit ledger did not confirm the reservation in time; nothing was charged."))
                .flatMap(reply -> reply instanceof CommandRejectedReply rejected
                        ? Mono.error(refusal(rejected, floor, user, priority))
                        : Mono.just(((CommandAcceptedReply) reply).credits()));
    }

    /**
     * Returns at once; the settlement (leases' charges and releases) is sent, and sent again every
     * {@link #RESEND_CHARGE_AFTER} with the same command id (the ledger applies it once) until the ledger confirms it,
     * even past the leases' TTL (the ledger charges an expired lease's charges all the same). The returned future
     * completes then, or when this gateway closes; {@code written} completes as soon as one sending of it is on the
     * command topic (durable: the ledger will apply it whatever happens to this process), and fails if this gateway
     * closes before any got there (the charge journal sends it at the next start).
     */
    public CompletableFuture<Void> settleLeases(String orgId, List<LeaseSettlement> leases,
            CompletableFuture<Void> written) {
        return settleLeases(TimeOrderedIds.next(), orgId, leases, written);
    }

    /** As above, under a given command id: a command sent again after a restart keeps its id, so it applies once. */
    public CompletableFuture<Void> settleLeases(String commandId, String orgId, List<LeaseSettlement> leases,
            CompletableFuture<Void> written) {
        SettleLeasesCommand command = new SettleLeasesCommand(commandId, orgId, List.copyOf(leases));
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, error) -> written.completeExceptionally(
                new IllegalStateException("settlement " + command.commandId() + " was never written")));
        settlements.execute(() -> send(command, true, done, written));
        return done;
    }

    /** How long the ledger holds a reservation (a lease) that nobody settles or renews. */
    public java.time.Duration reservationTtl() {
        return java.time.Duration.ofSeconds(ttlSeconds);
    }

    /** Returns at once; the release is sent in the background (if it is lost, the ledger's expiry releases). */
    public void release(String orgId, String reservationId, String reason) {
        ReleaseReservationCommand command = new ReleaseReservationCommand(TimeOrderedIds.next(), orgId,
                reservationId, reason);
        settlements.execute(() -> send(command, false, new CompletableFuture<>(), new CompletableFuture<>()));
    }

    /** Sends on the settlements thread; a charge ({@code untilConfirmed}) is resent until the ledger confirms it. */
    private void send(LedgerCommand command, boolean untilConfirmed, CompletableFuture<Void> done,
            CompletableFuture<Void> written) {
        CompletableFuture<LedgerReply> reply;
        try {
            CompletableFuture<Void> thisWrite = new CompletableFuture<>();
            thisWrite.thenRun(() -> written.complete(null));
            reply = ledger.send(command, thisWrite);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> {
            if (error == null) {
                if (answer instanceof CommandRejectedReply rejected) {
                    log.warn("{} refused: {} {}", command.getClass().getSimpleName(), rejected.reason(),
                            rejected.detail());
                }
                done.complete(null);
            } else if (untilConfirmed && !settlements.isShutdown()) {
                log.info("{} {} not confirmed ({}); sending it again", command.getClass().getSimpleName(),
                        command.commandId(), error.toString());
                settlements.schedule(() -> send(command, true, done, written), RESEND_CHARGE_AFTER.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                log.warn("{} not confirmed ({}); {}", command.getClass().getSimpleName(), error.toString(),
                        untilConfirmed ? "the charge journal sends it again at the next start"
                                : "the ledger's expiry will release the reservation");
                done.complete(null);
            }
        });
    }

    /** Sends what is queued (for a few seconds at most) before the ledger client closes. */
    @PreDestroy
    public void close() throws InterruptedException {
        settlements.shutdown();
        settlements.awaitTermination(5, TimeUnit.SECONDS);
    }

    private GatewayException refusal(CommandRejectedReply rejected, long credits, boolean user, Priority priority) {
        return switch (rejected.reason()) {
            case BUDGET_EXCEEDED -> new CreditRefusal("budget_exceeded",
                    "Budget exceeded: " + describe(rejected.budgetId()) + " cannot take " + credits
                            + " more credits.", RequestOutcome.BUDGET_EXCEEDED, rejected.budgetId(),
                    rejected.reservedCredits());
            case INSUFFICIENT_CREDITS -> new CreditRefusal("insufficient_credits",
                    "Insufficient credits: " + rejected.detail() + "." + (user ? USER_HINT
                            + (priority == Priority.CRITICAL ? "" : CRITICAL_HINT) : ""),
                    RequestOutcome.INSUFFICIENT_CREDITS, null, rejected.reservedCredits());
            case UNKNOWN_LEDGER, UNKNOWN_ACCOUNT -> GatewayException.ledgerUnavailable(
                    "The credit account is not ready yet (" + rejected.detail() + "); try again shortly.");
            default -> GatewayException.ledgerUnavailable("The ledger refused the reservation: " + rejected.reason()
                    + " " + rejected.detail());
        };
    }

    private String describe(String budgetId) {
        if (budgetId == null) {
            return "a budget";
        }
        return view.budget(budgetId)
                .map(b -> "the " + b.period() + " budget " + b.id() + " of " + b.limitCredits() + " credits on "
                        + b.scope().level().name().toLowerCase(java.util.Locale.ROOT) + " " + b.scope().id())
                .orElse("budget " + budgetId);
    }
}

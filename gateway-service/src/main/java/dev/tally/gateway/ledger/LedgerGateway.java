package dev.tally.gateway.ledger;

import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerTimeoutException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's side of the two-phase hold: reserve before the provider is called (failing closed when the ledger
 * does not answer), then charge the actual cost or release. A settlement that never arrives is not lost credit: the
 * ledger expires the reservation after its TTL and releases it.
 */
@Component
public class LedgerGateway {

    private static final Logger log = LoggerFactory.getLogger(LedgerGateway.class);

    /** Seed 002: a refused user learns how to get more. */
    static final String USER_HINT = " Your personal quota is used up: request more with POST /approvals "
            + "{\"amount\": <credits>, \"reason\": \"…\"} on the governance API (your team admin approves it).";
    static final String CRITICAL_HINT = " For urgent work, send X-Priority: critical to draw on your team's pool.";

    private final LedgerClient ledger;
    private final GovernanceView view;
    private final long ttlSeconds;
    private final CircuitBreaker breaker;

    public LedgerGateway(LedgerClient ledger, GovernanceView view, GatewaySettings settings) {
        this.ledger = ledger;
        this.view = view;
        this.ttlSeconds = settings.reservationTtl().toSeconds();
        this.breaker = CircuitBreaker.of("ledger", CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .recordException(e -> !(e instanceof GatewayException))
                .build());
    }

    /** Holds {@code credits} on the accounts, checked against every budget of the scopes, atomically in the ledger. */
    public Mono<Void> reserve(String orgId, String reservationId, List<Scope> scopes, List<String> accountIds,
            long credits, Priority priority, boolean user) {
        ReserveCreditCommand command = new ReserveCreditCommand(UUID.randomUUID().toString(), orgId, reservationId,
                scopes, accountIds, credits, priority, ttlSeconds);
        return Mono.fromFuture(() -> ledger.send(command))
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
                        ? Mono.error(refusal(rejected, credits, user, priority))
                        : Mono.empty());
    }

    public void charge(String orgId, String reservationId, long credits, long tokensIn, long tokensOut, String model,
            String provider) {
        send(new RecordUsageCommand(UUID.randomUUID().toString(), orgId, reservationId, credits, tokensIn, tokensOut,
                model, provider));
    }

    public void release(String orgId, String reservationId, String reason) {
        send(new ReleaseReservationCommand(UUID.randomUUID().toString(), orgId, reservationId, reason));
    }

    private void send(dev.tally.events.ledger.LedgerCommand command) {
        ledger.send(command).whenComplete((reply, error) -> {
            if (error != null) {
                log.warn("{} for reservation not confirmed ({}); the ledger's expiry will release it",
                        command.getClass().getSimpleName(), error.toString());
            } else if (reply instanceof CommandRejectedReply rejected) {
                log.warn("{} refused: {} {}", command.getClass().getSimpleName(), rejected.reason(), rejected.detail());
            }
        });
    }

    private GatewayException refusal(CommandRejectedReply rejected, long credits, boolean user, Priority priority) {
        return switch (rejected.reason()) {
            case BUDGET_EXCEEDED -> GatewayException.paymentRequired("budget_exceeded",
                    "Budget exceeded: " + describe(rejected.budgetId()) + " cannot take " + credits
                            + " more credits.", RequestOutcome.BUDGET_EXCEEDED, rejected.budgetId());
            case INSUFFICIENT_CREDITS -> GatewayException.paymentRequired("insufficient_credits",
                    "Insufficient credits: " + rejected.detail() + "." + (user ? USER_HINT
                            + (priority == Priority.CRITICAL ? "" : CRITICAL_HINT) : ""),
                    RequestOutcome.INSUFFICIENT_CREDITS, null);
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

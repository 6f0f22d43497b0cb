package dev.tally.gateway.provider;

import dev.tally.gateway.error.GatewayException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * One provider behind resilience4j: a bulkhead caps concurrent calls, retries with exponential back-off and jitter
 * on 429/5xx/unreachable, and a circuit breaker stops calling a provider that keeps failing. Streams are not
 * retried (chunks may already be with the client); they still count against the breaker and the bulkhead.
 */
public class ResilientProvider implements ChatProvider {

    private final ChatProvider delegate;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Bulkhead bulkhead;

    public ResilientProvider(String name, ChatProvider delegate, int maxRetries, int maxConcurrent) {
        this.delegate = delegate;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(ResilientProvider::providersFault)
                .build());
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(Math.max(1, maxRetries + 1))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5))
                .retryOnException(e -> e instanceof ProviderFailure failure && failure.retryable())
                .build());
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(Math.max(1, maxConcurrent))
                .maxWaitDuration(Duration.ofMillis(500))
                .build());
    }

    @Override
    public Mono<ProviderResponse> complete(ProviderRequest request) {
        return Mono.defer(() -> delegate.complete(request))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(BulkheadOperator.of(bulkhead));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        return Flux.defer(() -> delegate.stream(request))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(BulkheadOperator.of(bulkhead));
    }

    /**
     * A request the gateway refused before sending it (a field a provider cannot take) is the client's fault, as is a
     * provider's 4xx: neither says the provider is failing.
     */
    private static boolean providersFault(Throwable e) {
        if (e instanceof ProviderFailure failure) {
            return failure.retryable();
        }
        return !(e instanceof GatewayException);
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }
}

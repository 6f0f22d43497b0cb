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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One provider behind resilience4j: a bulkhead caps concurrent calls, retries with exponential back-off and jitter
 * on 429/5xx/unreachable, and a circuit breaker per deployment (per model name sent to this provider) stops calling
 * a deployment that keeps failing. Streams are not retried (chunks may already be with the client); they still count
 * against the breaker and the bulkhead.
 */
public class ResilientProvider implements ChatProvider {

    private final String name;
    private final ChatProvider delegate;
    private final CircuitBreakerConfig breakerConfig;
    /** One breaker per deployment: per model this provider serves, so one failing model leaves the others open. */
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Retry retry;
    private final Bulkhead bulkhead;

    public ResilientProvider(String name, ChatProvider delegate, int maxRetries, int maxConcurrent) {
        this.name = name;
        this.delegate = delegate;
        this.breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(ResilientProvider::providersFault)
                .build();
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

    private CircuitBreaker breaker(String model) {
        return breakers.computeIfAbsent(model, m -> CircuitBreaker.of(name + "/" + m, breakerConfig));
    }

    @Override
    public Mono<ProviderResponse> complete(ProviderRequest request) {
        return Mono.defer(() -> delegate.complete(request))
                .transformDeferred(CircuitBreakerOperator.of(breaker(request.model())))
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(BulkheadOperator.of(bulkhead));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        return Flux.defer(() -> delegate.stream(request))
                .transformDeferred(CircuitBreakerOperator.of(breaker(request.model())))
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

    /** The circuit of the deployment of {@code model} on this provider. */
    public CircuitBreaker.State state(String model) {
        return breaker(model).getState();
    }
}

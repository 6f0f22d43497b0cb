package dev.tally.notification.delivery;

import dev.tally.notification.NotificationSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per channel: a receiver that keeps failing is left alone for a while instead of being hit by
 * every pending delivery's retry. Deliveries that find the breaker open are postponed without using an attempt.
 */
@Component
public class ChannelBreakers {

    private final CircuitBreakerRegistry registry;

    public ChannelBreakers(NotificationSettings settings) {
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(10, settings.breakerMinimumCalls()))
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(DeliveryFailure.class)
                .build());
    }

    public CircuitBreaker of(String channelId) {
        return registry.circuitBreaker(channelId);
    }
}

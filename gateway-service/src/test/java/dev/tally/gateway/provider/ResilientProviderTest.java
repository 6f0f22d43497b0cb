package dev.tally.gateway.provider;

import dev.tally.gateway.error.GatewayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What counts against a provider's circuit breaker: its own failures, not requests the gateway refused. */
class ResilientProviderTest {

    private static final ProviderRequest REQUEST = new ProviderRequest(JsonMapper.builder().build()
            .createObjectNode(), "m", 10, null, 1);

    private static ResilientProvider failingWith(RuntimeException failure) {
        return new ResilientProvider("p", new ChatProvider() {
            @Override
            public Mono<ProviderResponse> complete(ProviderRequest request) {
                return Mono.error(failure);
            }

            @Override
            public Flux<StreamChunk> stream(ProviderRequest request) {
                return Flux.error(failure);
            }
        }, 0, 10);
    }

    @Test
    void requests_the_gateway_refuses_before_sending_never_open_the_circuit() {
        ResilientProvider provider = failingWith(GatewayException.badRequest("unsupported_parameter", "no tools",
                "tools"));

        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> provider.complete(REQUEST).block()).isInstanceOf(GatewayException.class);
        }

        assertThat(provider.state("m")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void a_provider_that_keeps_failing_opens_its_circuit() {
        ResilientProvider provider = failingWith(new ProviderFailure(503, "down"));

        for (int i = 0; i < 30; i++) {
            try {
                provider.complete(REQUEST).block();
            } catch (RuntimeException expected) {
                // a failure or, once open, the breaker's refusal
            }
        }

        assertThat(provider.state("m")).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void a_circuit_opened_by_one_deployment_leaves_the_providers_other_deployments_closed() {
        ProviderRequest other = new ProviderRequest(JsonMapper.builder().build().createObjectNode(), "other", 10,
                null, 1);
        ResilientProvider provider = new ResilientProvider("p", new ChatProvider() {
            @Override
            public Mono<ProviderResponse> complete(ProviderRequest request) {
                return "m".equals(request.model()) ? Mono.error(new ProviderFailure(503, "down"))
                        : Mono.just(new ProviderResponse(request.body(), null));
            }

            @Override
            public Flux<StreamChunk> stream(ProviderRequest request) {
                return Flux.empty();
            }
        }, 0, 10);

        for (int i = 0; i < 30; i++) {
            try {
                provider.complete(REQUEST).block();
            } catch (RuntimeException expected) {
                // a failure or, once open, the breaker's refusal
            }
        }

        assertThat(provider.state("m")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(provider.complete(other).block()).isNotNull();
        assertThat(provider.state("other")).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}

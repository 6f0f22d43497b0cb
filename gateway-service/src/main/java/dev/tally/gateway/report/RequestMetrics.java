package dev.tally.gateway.report;

import dev.tally.events.gateway.GatewayRequestRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's request metrics, from the same record every request publishes (so the numbers on a dashboard and the
 * records analytics keeps are counted alike): requests by organisation, model, API and status with their latency,
 * the latency the gateway adds, the upstream's latency by provider, and credits held and charged by organisation.
 *
 * <p>Tags take only values the gateway vouches for, never what a client typed: the organisation of the key, the model
 * that answered (priced, so known), the endpoint name. An unknown model a client asks for is "none", so no client can
 * grow the number of series.
 */
@Component
public class RequestMetrics {

    static final String NONE = "none";

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void observe(GatewayRequestRecord record) {
        String org = orNone(record.orgId());
        String endpoint = orNone(record.endpoint());
        Tags tags = Tags.of("org", org, "model", orNone(record.model()), "endpoint", endpoint, "status",
                Integer.toString(record.httpStatus()), "outcome", record.outcome().name());
        registry.timer("tally.gateway.requests", tags).record(record.latencyMs(), TimeUnit.MILLISECONDS);
        if (record.provider() != null && record.providerLatencyMs() > 0) {
            registry.timer("tally.gateway.upstream.latency", "provider", record.provider())
                    .record(record.providerLatencyMs(), TimeUnit.MILLISECONDS);
            registry.timer("tally.gateway.added.latency", "endpoint", endpoint)
                    .record(Math.max(0, record.latencyMs() - record.providerLatencyMs()), TimeUnit.MILLISECONDS);
        }
        if (record.reservedCredits() > 0) {
            registry.counter("tally.gateway.credits.held", "org", org).increment(record.reservedCredits());
        }
        if (record.chargedCredits() > 0) {
            registry.counter("tally.gateway.credits.charged", "org", org).increment(record.chargedCredits());
        }
    }

    private static String orNone(String value) {
        return value == null || value.isBlank() ? NONE : value;
    }
}

package dev.tally.gateway.report;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.MemberKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry);

    private static GatewayRequestRecord record(String model, RequestOutcome outcome, int status, long reserved,
            long charged, long latencyMs, long providerLatencyMs) {
        return new GatewayRequestRecord("req-1", "org-1", "agent-1", MemberKind.AGENT, "key-1", null, "asked-for",
                model, model == null ? null : "openai", "chat.completions", false, false, "NORMAL", outcome, status,
                null, null, 10, 5, reserved, charged, latencyMs, providerLatencyMs, Instant.EPOCH);
    }

    @Test
    void an_answered_request_counts_its_latency_the_added_latency_and_its_credits() {
        metrics.observe(record("gpt-4o-mini", RequestOutcome.SUCCESS, 200, 50, 38, 120, 100));

        assertThat(registry.get("tally.gateway.requests").tags("org", "org-1", "model", "gpt-4o-mini", "endpoint",
                "chat.completions", "status", "200", "outcome", "SUCCESS").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(120);
        assertThat(registry.get("tally.gateway.upstream.latency").tag("provider", "openai").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
        assertThat(registry.get("tally.gateway.added.latency").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(20);
        assertThat(registry.get("tally.gateway.credits.held").tag("org", "org-1").counter().count()).isEqualTo(50);
        assertThat(registry.get("tally.gateway.credits.charged").tag("org", "org-1").counter().count())
                .isEqualTo(38);
    }

    @Test
    void a_refused_request_without_a_model_is_tagged_none_whatever_the_client_asked_for() {
        metrics.observe(record(null, RequestOutcome.UNKNOWN_MODEL, 404, 0, 0, 3, 0));

        assertThat(registry.get("tally.gateway.requests").tags("model", "none", "status", "404").timer().count())
                .isEqualTo(1);
        assertThat(registry.find("tally.gateway.requests").tag("model", "asked-for").timer()).isNull();
        assertThat(registry.find("tally.gateway.upstream.latency").timer()).isNull();
        assertThat(registry.find("tally.gateway.credits.held").counter()).isNull();
    }
}

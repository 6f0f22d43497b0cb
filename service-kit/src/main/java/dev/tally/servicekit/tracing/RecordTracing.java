package dev.tally.servicekit.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * W3C trace context in Kafka record headers ({@code traceparent}), for the clients Tally builds by hand (the ledger
 * client, the ledger's intake and publication), which Spring's observed templates and listeners do not cover. A bean
 * only while tracing is on ({@link TracingConfiguration}); callers hold it as an optional dependency, so with tracing
 * off no header is written and no span started.
 */
public final class RecordTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    RecordTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Writes the current span's context into {@code headers}; nothing when no span is current. */
    public void inject(Headers headers) {
        Span current = tracer.currentSpan();
        if (current != null) {
            inject(current.context(), headers);
        }
    }

    public void inject(TraceContext context, Headers headers) {
        headers.remove("traceparent");
        headers.remove("tracestate");
        propagator.inject(context, headers, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * A started span named {@code name} continuing the trace in {@code headers} (a new trace without one). The caller
     * ends it; {@link Span#context()} is what to pass on.
     */
    public Span startFrom(Headers headers, String name) {
        return propagator.extract(headers, (carrier, key) -> {
            Header header = carrier.lastHeader(key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }).kind(Span.Kind.CONSUMER).name(name).start();
    }

    /** A started span named {@code name}, child of {@code parent}. */
    public Span startChild(TraceContext parent, String name) {
        return tracer.spanBuilder().setParent(parent).name(name).start();
    }

    public Tracer tracer() {
        return tracer;
    }
}

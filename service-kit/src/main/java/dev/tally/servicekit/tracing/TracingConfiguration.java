package dev.tally.servicekit.tracing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * OpenTelemetry through Micrometer Tracing, only when {@code tally.tracing.enabled} ({@code TALLY_TRACING_ENABLED})
 * is true. Spring Boot's own tracing auto-configuration is deliberately not on the classpath: with it, a tracer and
 * its observation handlers exist whatever the export setting, and every request would start a span and carry it
 * along. Here, tracing off means none of these beans exist, so the observations the services already make for their
 * metrics have no tracing handler, nothing is captured into Reactor's context and no record gets a trace header.
 *
 * <p>On: every observation (an HTTP request, a Kafka record) gets a span; a {@code traceparent} coming in (HTTP
 * header, Kafka record header) is continued; spans go to {@code tally.tracing.otlp-endpoint} (OTLP over HTTP, e.g.
 * {@code http://collector:4318/v1/traces}) when one is set, sampled at {@code tally.tracing.sampling-probability}
 * unless the caller already decided (parent-based sampling).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty("tally.tracing.enabled")
public class TracingConfiguration {

    private static final String SCHEDULE_HOOK = TracingConfiguration.class.getName();

    public TracingConfiguration() {
        // WebFlux keeps the request's observation in Reactor's context; this restores it as the current span on the
        // threads that run the request's operators, so code that sends a Kafka record sees the request's trace.
        Hooks.enableAutomaticContextPropagation();
    }

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk tallyOpenTelemetry(Environment environment) {
        String service = environment.getProperty("spring.application.name", "tally");
        double probability = environment.getProperty("tally.tracing.sampling-probability", Double.class, 0.1);
        String endpoint = environment.getProperty("tally.tracing.otlp-endpoint", "");
        SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(probability)));
        if (!endpoint.isBlank()) {
            tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(
                    OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build());
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @Bean
    Tracer tallyTracer(OpenTelemetrySdk openTelemetry) {
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        return new OtelTracer(openTelemetry.getTracer("tally"), current, event -> {
        }, new OtelBaggageManager(current, List.of(), List.of()));
    }

    /**
     * Work a request hands to a Reactor scheduler outside its own chain (the gateway's lease reservation is a future
     * subscribed on boundedElastic, with none of the request's context) runs in the span current where it was
     * scheduled, so the command it sends carries the request's trace.
     */
    @Bean
    DisposableBean tallyScheduledWorkKeepsItsSpan(Tracer tracer) {
        Schedulers.onScheduleHook(SCHEDULE_HOOK, task -> {
            Span current = tracer.currentSpan();
            if (current == null) {
                return task;
            }
            return () -> {
                try (Tracer.SpanInScope ignored = tracer.withSpan(current)) {
                    task.run();
                }
            };
        });
        return () -> Schedulers.resetOnScheduleHook(SCHEDULE_HOOK);
    }

    @Bean
    Propagator tallyPropagator(OpenTelemetrySdk openTelemetry) {
        return new OtelPropagator(openTelemetry.getPropagators(), openTelemetry.getTracer("tally"));
    }

    /**
     * One handler, the first that fits: a received request or record continues its sender's trace, a sent one
     * carries the trace on, anything else is a span of the current trace. Three separate beans would each start a
     * span for the same observation.
     */
    @Bean
    ObservationHandler<?> tallyTracingObservationHandler(Tracer tracer, Propagator propagator) {
        return new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer));
    }

    @Bean
    RecordTracing recordTracing(Tracer tracer, Propagator propagator) {
        return new RecordTracing(tracer, propagator);
    }
}

package dev.tally.servicekit.tracing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TracingConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TracingConfiguration.class));

    @Test
    void off_by_default_there_is_no_tracer_no_handler_and_nothing_that_writes_headers() {
        context.run(app -> assertThat(app).doesNotHaveBean(Tracer.class).doesNotHaveBean(Propagator.class)
                .doesNotHaveBean(ObservationHandler.class).doesNotHaveBean(RecordTracing.class));
        context.withPropertyValues("tally.tracing.enabled=false")
                .run(app -> assertThat(app).doesNotHaveBean(Tracer.class).doesNotHaveBean(RecordTracing.class));
    }

    @Test
    void on_a_record_carries_the_current_trace_and_its_consumer_continues_it() {
        context.withPropertyValues("tally.tracing.enabled=true").run(app -> {
            RecordTracing tracing = app.getBean(RecordTracing.class);
            Tracer tracer = app.getBean(Tracer.class);
            RecordHeaders headers = new RecordHeaders();
            Span sender = tracer.nextSpan().name("send").start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(sender)) {
                tracing.inject(headers);
            } finally {
                sender.end();
            }

            String traceparent = new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertThat(traceparent).startsWith("00-" + sender.context().traceId() + "-" + sender.context().spanId());
            Span receiver = tracing.startFrom(headers, "receive");
            receiver.end();
            assertThat(receiver.context().traceId()).isEqualTo(sender.context().traceId());
            assertThat(receiver.context().spanId()).isNotEqualTo(sender.context().spanId());
        });
    }

    @Test
    void on_work_scheduled_on_a_reactor_scheduler_runs_in_the_span_that_scheduled_it() {
        context.withPropertyValues("tally.tracing.enabled=true").run(app -> {
            Tracer tracer = app.getBean(Tracer.class);
            Span request = tracer.nextSpan().name("request").start();
            CompletableFuture<Span> seen;
            try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
                // As the gateway's lease reservation: a Mono made into a future, so none of the caller's context.
                seen = Mono.fromCallable(tracer::currentSpan).subscribeOn(Schedulers.boundedElastic()).toFuture();
            } finally {
                request.end();
            }
            assertThat(seen.get(10, TimeUnit.SECONDS).context().traceId()).isEqualTo(request.context().traceId());
        });
    }

    @Test
    void on_without_a_current_span_no_header_is_written() {
        context.withPropertyValues("tally.tracing.enabled=true").run(app -> {
            RecordHeaders headers = new RecordHeaders();
            app.getBean(RecordTracing.class).inject(headers);
            assertThat(headers.lastHeader("traceparent")).isNull();
        });
    }
}

package dev.tally.ledger.intake;

import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.servicekit.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries a command's trace (the {@code traceparent} of its record) to the ledger's handling of it and on to the
 * events it caused: a span per command while it is decided, and a span per event when it is published to
 * {@code tally.ledger.events} (whose record then carries the trace on) and when it is projected. Events are published
 * and projected by tracking processors, after the command's transaction and apart from it, so the trace is found by
 * the event's {@code commandId} in a bounded map of recent commands; an event published by another replica, or long
 * after, starts no span. Nothing is stored with the events: traces are not part of the audit trail.
 *
 * <p>With tracing off there is no {@link RecordTracing} bean and every method returns at once.
 */
@Component
public class CommandTraces {

    private static final int RECENT_COMMANDS = 10_000;

    private final RecordTracing tracing;
    private final Map<String, TraceContext> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TraceContext> eldest) {
                    return size() > RECENT_COMMANDS;
                }
            });

    public CommandTraces(ObjectProvider<RecordTracing> tracing) {
        this.tracing = tracing.getIfAvailable();
    }

    /** A started span per command, continuing its record's trace; empty with tracing off. End them with {@link #end}. */
    public List<Span> decide(List<ConsumerRecord<String, byte[]>> records, List<LedgerCommand> commands) {
        if (tracing == null) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            LedgerCommand command = commands.get(i);
            Span span = tracing.startFrom(records.get(i).headers(), "ledger " + command.getClass().getSimpleName())
                    .tag("tally.ledger.id", String.valueOf(command.ledgerId()))
                    .tag("tally.command.id", String.valueOf(command.commandId()));
            if (command.commandId() != null) {
                recent.put(command.commandId(), span.context());
            }
            spans.add(span);
        }
        return spans;
    }

    public void end(List<Span> spans) {
        spans.forEach(Span::end);
    }

    /** Writes the trace of the event's command into the event record's {@code headers}, under a publish span. */
    public void publish(LedgerEvent event, Headers headers) {
        Span span = eventSpan(event, "publish ");
        if (span != null) {
            tracing.inject(span.context(), headers);
            span.end();
        }
    }

    /** A started span for a projection's handling of the event, in its command's trace; null when there is none. */
    public Span project(LedgerEvent event, String projection) {
        return eventSpan(event, projection + " ");
    }

    private Span eventSpan(LedgerEvent event, String prefix) {
        if (tracing == null || event.commandId() == null) {
            return null;
        }
        TraceContext command = recent.get(event.commandId());
        return command == null ? null
                : tracing.startChild(command, prefix + event.getClass().getSimpleName())
                        .tag("tally.ledger.id", String.valueOf(event.ledgerId()));
    }
}

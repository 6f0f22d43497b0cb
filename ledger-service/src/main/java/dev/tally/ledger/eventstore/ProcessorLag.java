package dev.tally.ledger.eventstore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code tally.ledger.processor.lag}, by processor: how far each tracking processor of this process (the publisher to
 * {@code tally.ledger.events}, the balances projection) is behind the event store's head, in global positions (about
 * events: the positions have gaps only where a transaction rolled back). NaN where this process holds none of the
 * processor's segments (another replica does).
 */
@Component
class ProcessorLag {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final MeterRegistry registry;

    ProcessorLag(EventProcessingConfiguration processing, EventStore eventStore, MeterRegistry registry) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.registry = registry;
    }

    /** Registered once the processors exist: Axon builds them when the application starts. */
    @EventListener(ApplicationReadyEvent.class)
    void register() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof TrackingEventProcessor tracking) {
                Gauge.builder("tally.ledger.processor.lag", tracking, this::lag).tag("processor", name)
                        .description("event store positions this processor is behind the head").register(registry);
            }
        });
    }

    private double lag(TrackingEventProcessor processor) {
        var segments = processor.processingStatus();
        if (segments.isEmpty()) {
            return Double.NaN;
        }
        TrackingToken headToken = eventStore.createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        // A segment that has processed nothing yet is at -1: the whole store is ahead of it.
        long slowest = segments.values().stream().map(EventTrackerStatus::getCurrentPosition)
                .mapToLong(position -> position.orElse(-1)).min().orElse(-1);
        return Math.max(0, head - slowest);
    }
}

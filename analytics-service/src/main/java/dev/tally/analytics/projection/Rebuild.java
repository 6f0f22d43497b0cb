package dev.tally.analytics.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rebuilds every projection from offset zero: stops both consumers, empties the tables, and restarts the consumers
 * reading from the beginning of their topics. Used for audit and after a change to a projection. The idempotency
 * table is emptied with the rest, so the replay counts each event exactly once again.
 */
@Component
public class Rebuild {

    private static final Logger log = LoggerFactory.getLogger(Rebuild.class);
    private static final List<String> LISTENERS = List.of(ProjectionListeners.LEDGER, ProjectionListeners.REQUESTS);

    private final KafkaListenerEndpointRegistry registry;
    private final ProjectionListeners listeners;
    private final DatabaseClient db;
    private final AtomicBoolean running = new AtomicBoolean();

    public Rebuild(KafkaListenerEndpointRegistry registry, ProjectionListeners listeners, DatabaseClient db) {
        this.registry = registry;
        this.listeners = listeners;
        this.db = db;
    }

    /** @return false when a rebuild is already under way */
    public boolean run() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        try {
            log.info("rebuilding projections from offset zero");
            LISTENERS.forEach(id -> container(id).stop());
            db.sql("""
                    truncate processed_event, request, ledger_entry, open_reservation, budget, scope_spend,
                             budget_alert, transfer""").then().block(Duration.ofSeconds(60));
            listeners.rewindOnNextAssignment(Set.of("tally.ledger.events", "tally.gateway.requests"));
            LISTENERS.forEach(id -> container(id).start());
            return true;
        } finally {
            running.set(false);
        }
    }

    private MessageListenerContainer container(String id) {
        MessageListenerContainer container = registry.getListenerContainer(id);
        if (container == null) {
            throw new IllegalStateException("no listener container " + id);
        }
        return container;
    }
}

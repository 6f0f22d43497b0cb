package dev.tally.ledger.balance;

import dev.tally.events.ledger.LedgerEvent;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.eventstore.EventStoreReader;
import dev.tally.ledger.eventstore.StoredEvent;
import dev.tally.ledger.intake.CommandTraces;
import io.micrometer.tracing.Span;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the balances projection: folds each ledger's events with the same {@link LedgerState#apply} the aggregate
 * uses, then writes only the rows the batch's events touched, in the transaction that moves the processor's token.
 * Exactly once per event, and rebuildable by resetting the processor.
 *
 * <p>The folded state itself is written only every {@code checkpointEvery} events of a ledger: it is the whole
 * ledger (thousands of accounts and budgets in a large organisation), and writing it after every batch cost more than
 * everything else the ledger did. Loading a ledger takes the last written state and folds the events after it from
 * the event store.
 */
@Component
@ProcessingGroup(BalanceProjector.PROCESSOR)
public class BalanceProjector {

    public static final String PROCESSOR = "ledger-balances";
    private static final String BATCH = BalanceProjector.class.getName() + ".batch";

    private final BalanceStore store;
    private final EventStoreReader eventStore;
    private final long checkpointEvery;
    // Touched only by the processor's single thread; dropped on rollback so it never holds uncommitted state.
    private final Map<String, Folded> ledgers = new HashMap<>();
    private final CommandTraces traces;

    public BalanceProjector(BalanceStore store, EventStoreReader eventStore,
            @Value("${tally.ledger.projection-checkpoint-every:10000}") long checkpointEvery, CommandTraces traces) {
        this.traces = traces;
        this.store = store;
        this.eventStore = eventStore;
        this.checkpointEvery = checkpointEvery;
    }

    @EventHandler
    public void on(LedgerEvent event) {
        Span span = traces.project(event, "project balances");
        try {
            Folded ledger = currentBatch().computeIfAbsent(event.ledgerId(),
                    id -> ledgers.computeIfAbsent(id, this::load));
            ledger.state.apply(event);
            ledger.applied++;
            ledger.lastEventAt = event.occurredAt();
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    @ResetHandler
    public void reset() {
        ledgers.clear();
        store.deleteAll();
    }

    private Folded load(String ledgerId) {
        Folded ledger = store.checkpoint(ledgerId).map(checkpoint -> {
            LedgerState state = checkpoint.state();
            for (StoredEvent stored : eventStore.events(ledgerId, checkpoint.stateEvents(),
                    checkpoint.eventsApplied())) {
                state.apply(stored.event());
            }
            return new Folded(state, checkpoint.eventsApplied(), checkpoint.stateEvents());
        }).orElseGet(() -> new Folded(new LedgerState(), 0, -1));
        // Tracking starts here: the rows already reflect every event folded so far.
        ledger.state.takeChanges();
        return ledger;
    }

    private Map<String, Folded> currentBatch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Map<String, Folded> batch = new LinkedHashMap<>();
            unitOfWork.onPrepareCommit(u -> batch.values().forEach(this::write));
            unitOfWork.onRollback(u -> ledgers.clear());
            return batch;
        });
    }

    private void write(Folded ledger) {
        // A ledger new to the projection gets its row with the state at once.
        boolean withState = ledger.checkpointed < 0 || ledger.applied - ledger.checkpointed >= checkpointEvery;
        store.write(ledger.state, ledger.state.takeChanges(), ledger.applied, ledger.lastEventAt, withState);
        if (withState && ledger.state.isOpen()) {
            ledger.checkpointed = ledger.applied;
        }
    }

    private static final class Folded {
        final LedgerState state;
        long applied;
        /** Events held by the state last written; -1 while none is. */
        long checkpointed;
        Instant lastEventAt;

        Folded(LedgerState state, long applied, long checkpointed) {
            this.state = state;
            this.applied = applied;
            this.checkpointed = checkpointed;
        }
    }
}

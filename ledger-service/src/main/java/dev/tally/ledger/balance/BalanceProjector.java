package dev.tally.ledger.balance;

import dev.tally.events.ledger.LedgerEvent;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerState;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the balances projection: folds each ledger's events with the same {@link LedgerState#apply} the aggregate
 * uses, then writes only the rows a batch changed, in the transaction that moves the processor's token. Exactly
 * once per event, and rebuildable by resetting the processor.
 */
@Component
@ProcessingGroup(BalanceProjector.PROCESSOR)
public class BalanceProjector {

    public static final String PROCESSOR = "ledger-balances";
    private static final String BATCH = BalanceProjector.class.getName() + ".batch";

    private final BalanceStore store;
    // Touched only by the processor's single thread; dropped on rollback so it never holds uncommitted state.
    private final Map<String, LedgerState> states = new HashMap<>();

    public BalanceProjector(BalanceStore store) {
        this.store = store;
    }

    @EventHandler
    public void on(LedgerEvent event) {
        Map<String, Pending> batch = currentBatch();
        Pending pending = batch.computeIfAbsent(event.ledgerId(), this::load);
        pending.state.apply(event);
        pending.applied++;
        pending.lastEventAt = event.occurredAt();
    }

    @ResetHandler
    public void reset() {
        states.clear();
        store.deleteAll();
    }

    private Pending load(String ledgerId) {
        LedgerState state = states.computeIfAbsent(ledgerId, id -> store.loadState(id).orElseGet(LedgerState::new));
        return new Pending(state, state.isOpen() ? state.snapshot() : null, store.eventsApplied(ledgerId));
    }

    private Map<String, Pending> currentBatch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Map<String, Pending> batch = new LinkedHashMap<>();
            unitOfWork.onPrepareCommit(u -> batch.forEach((ledgerId, pending) ->
                    store.write(pending.before, pending.state, pending.applied, pending.lastEventAt)));
            unitOfWork.onRollback(u -> states.clear());
            return batch;
        });
    }

    private static final class Pending {
        final LedgerState state;
        final LedgerSnapshot before;
        long applied;
        Instant lastEventAt;

        Pending(LedgerState state, LedgerSnapshot before, long applied) {
            this.state = state;
            this.before = before;
            this.applied = applied;
        }
    }
}

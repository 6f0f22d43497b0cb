package dev.tally.governance.support;

import dev.tally.events.governance.GovernanceState;
import dev.tally.governance.audit.AuditLog;
import dev.tally.governance.ledger.LedgerOutbox;
import dev.tally.governance.ledger.LedgerOutcome;
import dev.tally.governance.publication.StateOutbox;
import dev.tally.events.ledger.LedgerCommand;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * The one way governance changes things: the rows, the state records for gateways, the audit entry and the ledger
 * commands commit in one transaction; after the commit the state is published and the ledger commands are sent.
 */
@Component
public class Changes {

    private final Tx tx;
    private final StateOutbox states;
    private final LedgerOutbox ledger;
    private final AuditLog audit;

    public Changes(Tx tx, StateOutbox states, LedgerOutbox ledger, AuditLog audit) {
        this.tx = tx;
        this.states = states;
        this.ledger = ledger;
        this.audit = audit;
    }

    public <T> Mono<T> commit(Mono<T> work) {
        return tx.run(work).doOnSuccess(done -> states.flushSoon());
    }

    public Mono<Void> publish(GovernanceState state) {
        return states.stage(state);
    }

    /** An alert for notification-service on tally.alerts, relayed after the commit like state changes. */
    public Mono<Void> alert(dev.tally.events.alert.Alert alert) {
        return states.stage(alert);
    }

    public Mono<Void> publishDeletion(GovernanceState lastState) {
        return states.stageDeletion(lastState);
    }

    public Mono<Void> stage(LedgerCommand command) {
        return ledger.stage(command);
    }

    public Mono<Void> audit(String orgId, String actor, String action, String targetType, String targetId,
            Map<String, ?> detail) {
        return audit.record(orgId, actor, action, targetType, targetId, detail);
    }

    /** Sends committed ledger commands one after another (one ledger's commands must keep their order). */
    public Mono<List<LedgerOutcome>> dispatch(List<String> commandIds) {
        return Flux.fromIterable(commandIds).concatMap(ledger::dispatch).collectList();
    }

    public Mono<LedgerOutcome> dispatch(String commandId) {
        return ledger.dispatch(commandId);
    }
}

package dev.tally.governance.publication;

import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.json.TallyJson;
import dev.tally.governance.support.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Stages a state change for {@code tally.governance.state} inside the caller's transaction. {@link StateRelay} sends
 * it after the commit, so a rolled-back change is never published and a committed one always is.
 */
@Component
public class StateOutbox {

    private final DatabaseClient db;
    private final StateRelay relay;

    public StateOutbox(DatabaseClient db, StateRelay relay) {
        this.db = db;
        this.relay = relay;
    }

    public Mono<Void> stage(GovernanceState state) {
        return insert(state.stateKey(), GovernanceMessageTypes.of(state.getClass()).ceType(), TallyJson.write(state));
    }

    /** A tombstone: compaction then forgets the key, and consumers delete it from their view. */
    public Mono<Void> stageDeletion(GovernanceState lastState) {
        return insert(lastState.stateKey(), GovernanceMessageTypes.of(lastState.getClass()).ceType(), null);
    }

    /** Called after the transaction commits: publish now rather than at the next timer tick. */
    public void flushSoon() {
        relay.wake();
    }

    private Mono<Void> insert(String key, String ceType, byte[] payload) {
        return Sql.bind(db.sql("""
                        insert into state_outbox (state_key, ce_type, payload, staged_at)
                        values (:key, :type, :payload, :at)"""),
                        "key", key, "type", ceType, "payload", Sql.nullable(payload == null ? null
                                : java.nio.ByteBuffer.wrap(payload), java.nio.ByteBuffer.class),
                        "at", Instant.now().atOffset(ZoneOffset.UTC))
                .then();
    }
}

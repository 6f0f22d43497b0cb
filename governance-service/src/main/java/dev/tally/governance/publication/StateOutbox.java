package dev.tally.governance.publication;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import dev.tally.governance.support.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Stages a state change for {@code tally.governance.state}, or an alert for {@code tally.alerts}, inside the caller's
 * transaction. {@link StateRelay} sends it after the commit, so a rolled-back change is never published and a
 * committed one always is.
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
        return insert(null, state.stateKey(), GovernanceMessageTypes.of(state.getClass()).ceType(),
                TallyJson.write(state));
    }

    /** An alert for notification-service, keyed by org id like every record on tally.alerts. */
    public Mono<Void> stage(Alert alert) {
        return insert(Topics.ALERTS.name(), alert.orgId(), AlertMessageTypes.ALERT.ceType(), TallyJson.write(alert));
    }

    /** A tombstone: compaction then forgets the key, and consumers delete it from their view. */
    public Mono<Void> stageDeletion(GovernanceState lastState) {
        return insert(null, lastState.stateKey(), GovernanceMessageTypes.of(lastState.getClass()).ceType(), null);
    }

    /** Called after the transaction commits: publish now rather than at the next timer tick. */
    public void flushSoon() {
        relay.wake();
    }

    /** {@code topic} null: tally.governance.state. */
    private Mono<Void> insert(String topic, String key, String ceType, byte[] payload) {
        return Sql.bind(db.sql("""
                        insert into state_outbox (topic, state_key, ce_type, payload, staged_at)
                        values (:topic, :key, :type, :payload, :at)"""),
                        "topic", Sql.nullable(topic, String.class), "key", key, "type", ceType, "payload", Sql.nullable(payload == null ? null
                                : java.nio.ByteBuffer.wrap(payload), java.nio.ByteBuffer.class),
                        "at", Instant.now().atOffset(ZoneOffset.UTC))
                .then();
    }
}

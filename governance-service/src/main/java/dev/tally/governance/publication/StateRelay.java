package dev.tally.governance.publication;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.topic.Topics;
import dev.tally.governance.support.Ids;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves staged state records to Kafka in staging order, then deletes them. One relay at a time across all
 * governance replicas (a transaction-scoped advisory lock), so two versions of one key can never overtake each other.
 * Runs on every {@link #wake()} and on a timer, which picks up whatever a crash left behind.
 */
@Component
public class StateRelay {

    private static final Logger log = LoggerFactory.getLogger(StateRelay.class);
    private static final long RELAY_LOCK = 0x7a11_5eedL;
    private static final int BATCH = 500;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public StateRelay(DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, byte[]> kafka) {
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
    }

    public void wake() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    @Scheduled(fixedDelayString = "${tally.governance.state-relay-interval:500ms}")
    void onTimer() {
        wake();
    }

    private void drain() {
        again.set(false);
        tx.transactional(relayBatch())
                .timeout(Duration.ofSeconds(30))
                .onErrorResume(e -> {
                    log.warn("state relay failed, will retry: {}", e.toString());
                    return Mono.just(0);
                })
                .subscribe(sent -> {
                    running.set(false);
                    if ((sent == BATCH || again.get()) && running.compareAndSet(false, true)) {
                        drain();
                    }
                });
    }

    private Mono<Integer> relayBatch() {
        return db.sql("select pg_try_advisory_xact_lock(:lock) as locked").bind("lock", RELAY_LOCK)
                .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class))).one()
                .flatMap(locked -> locked ? sendStaged() : Mono.just(0));
    }

    private Mono<Integer> sendStaged() {
        return db.sql("select seq, topic, state_key, ce_type, payload, staged_at from state_outbox order by seq limit :n")
                .bind("n", BATCH)
                .map(row -> new Staged(row.get("seq", Long.class), row.get("topic", String.class),
                        row.get("state_key", String.class),
                        row.get("ce_type", String.class), row.get("payload", ByteBuffer.class)))
                .all().collectList()
                .flatMap(this::sendAll);
    }

    private Mono<Integer> sendAll(List<Staged> batch) {
        if (batch.isEmpty()) {
            return Mono.just(0);
        }
        // Handed to the idempotent producer in seq order: per partition, and so per key, Kafka keeps that order.
        CompletableFuture<?>[] acks = batch.stream().map(staged -> kafka.send(staged.record()))
                .toArray(CompletableFuture[]::new);
        // Exactly the rows sent: "seq <= the last one" would also delete a row whose transaction took a lower seq
        // but committed after the select above, unsent (seqs are taken in insert order, visible in commit order).
        Long[] sent = batch.stream().map(Staged::seq).toArray(Long[]::new);
        return Mono.fromFuture(CompletableFuture.allOf(acks))
                .then(db.sql("delete from state_outbox where seq = any(:sent)").bind("sent", sent).then())
                .thenReturn(batch.size());
    }

    /** {@code topic} null: tally.governance.state. */
    private record Staged(long seq, String topic, String key, String ceType, ByteBuffer payload) {

        ProducerRecord<String, byte[]> record() {
            byte[] value = null;
            if (payload != null) {
                value = new byte[payload.remaining()];
                payload.get(value);
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    topic == null ? Topics.GOVERNANCE_STATE.name() : topic, key, value);
            new Envelope(Ids.newId(), ceType, "tally/governance", Instant.now(), key).toHeaders()
                    .forEach(record.headers()::add);
            return record;
        }
    }
}

package dev.tally.governance.ledger;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.governance.GovernanceSettings;
import dev.tally.governance.support.Sql;
import dev.tally.governance.support.Tx;
import dev.tally.governance.publication.StateOutbox;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Every ledger command governance issues is first staged in {@code ledger_outbox}, in the transaction of the change
 * that caused it, then sent. A command the ledger has not answered is sent again with the same id until it does;
 * the ledger applies a command id at most once, so a crash anywhere loses nothing and doubles nothing.
 */
@Component
public class LedgerOutbox {

    private static final Logger log = LoggerFactory.getLogger(LedgerOutbox.class);

    private final DatabaseClient db;
    private final LedgerClient ledger;
    private final List<LedgerOutcomeHandler> handlers;
    private final GovernanceSettings settings;
    private final Tx tx;
    private final StateOutbox states;

    public LedgerOutbox(DatabaseClient db, LedgerClient ledger, List<LedgerOutcomeHandler> handlers,
            GovernanceSettings settings, Tx tx, StateOutbox states) {
        this.states = states;
        this.db = db;
        this.ledger = ledger;
        this.handlers = handlers;
        this.settings = settings;
        this.tx = tx;
    }

    /** Stages a command in the current transaction; staging the same command id twice keeps the first. */
    public Mono<Void> stage(LedgerCommand command) {
        MessageType<?> type = LedgerMessageTypes.of(command.getClass());
        return Sql.bind(db.sql("""
                        insert into ledger_outbox (command_id, ledger_id, ce_type, payload, status, staged_at)
                        values (:id, :ledger, :type, :payload, 'PENDING', :at)
                        on conflict (command_id) do nothing"""),
                        "id", command.commandId(), "ledger", command.ledgerId(), "type", type.ceType(),
                        "payload", ByteBuffer.wrap(TallyJson.write(command)),
                        "at", Instant.now().atOffset(ZoneOffset.UTC))
                .then();
    }

    /**
     * Sends a staged command (after its transaction committed) and waits for the ledger's answer, up to the reply
     * timeout. An answer already on record is returned without sending again.
     */
    public Mono<LedgerOutcome> dispatch(String commandId) {
        return load(commandId).flatMap(row -> row.outcome().status() != LedgerOutcome.Status.PENDING
                ? Mono.just(row.outcome())
                : send(row));
    }

    public Mono<LedgerOutcome> outcome(String commandId) {
        return load(commandId).map(Row::outcome);
    }

    /**
     * Runs on start and every {@code ledger-resend-after}: sends again whatever is still unanswered (the ledger or
     * Kafka was down, the reply was lost, this instance crashed, or acting on the answer failed and was rolled back),
     * then acts on answers on record that nothing acted on (see {@link #actOnUnsettledAnswers}).
     */
    @Scheduled(fixedDelayString = "${tally.governance.ledger-resend-after:10s}")
    void recover() {
        resendUnanswered();
        actOnUnsettledAnswers();
    }

    /**
     * A transfer still PENDING or an approval still APPROVING whose command has an answer on record: the answer was
     * recorded and acting on it did not happen (a crash in between, before answers and their effects shared one
     * transaction). The handlers are run again with the recorded answer; each acts only on what is still waiting.
     */
    void actOnUnsettledAnswers() {
        db.sql("""
                        select o.command_id, o.status, o.reason, o.detail
                        from credit_transfer t join ledger_outbox o on o.command_id = t.id
                        where t.status = 'PENDING' and o.status <> 'PENDING'
                        union
                        select o.command_id, o.status, o.reason, o.detail
                        from approval a join ledger_outbox o on o.command_id = a.transfer_id
                        where a.status = 'APPROVING' and o.status <> 'PENDING'
                        limit 200""")
                .map(row -> new LedgerOutcome(row.get("command_id", String.class),
                        LedgerOutcome.Status.valueOf(row.get("status", String.class)), row.get("reason", String.class),
                        row.get("detail", String.class), null))
                .all()
                .concatMap(outcome -> tx.run(Flux.fromIterable(handlers).concatMap(h -> h.onAnswer(outcome)).then())
                        .doOnSuccess(done -> states.flushSoon())
                        .doOnSuccess(done -> log.info("acted on the recorded answer to ledger command {}",
                                outcome.commandId())))
                .onErrorResume(e -> {
                    log.warn("acting on recorded ledger answers failed, will retry: {}", e.toString());
                    return Flux.empty();
                })
                .blockLast();
    }

    void resendUnanswered() {
        Instant before = Instant.now().minus(settings.ledgerResendAfter());
        db.sql("""
                        select command_id, ledger_id, ce_type, payload from ledger_outbox
                        where status = 'PENDING' and coalesce(last_sent_at, staged_at) < :before
                        order by staged_at limit 200""")
                .bind("before", before.atOffset(ZoneOffset.UTC))
                .map(row -> new Row(row.get("command_id", String.class), row.get("ce_type", String.class),
                        row.get("payload", ByteBuffer.class), pending(row.get("command_id", String.class))))
                .all()
                .concatMap(this::send)
                .onErrorResume(e -> {
                    log.warn("resending ledger commands failed, will retry: {}", e.toString());
                    return Flux.empty();
                })
                .blockLast();
    }

    private Mono<LedgerOutcome> send(Row row) {
        LedgerCommand command = row.command();
        return db.sql("update ledger_outbox set attempts = attempts + 1, last_sent_at = :at where command_id = :id")
                .bind("at", Instant.now().atOffset(ZoneOffset.UTC)).bind("id", row.commandId()).then()
                .then(Mono.fromFuture(() -> ledger.send(command)))
                .flatMap(this::record)
                .onErrorResume(e -> {
                    if (!(e instanceof LedgerTimeoutException)) {
                        log.warn("ledger command {} not sent: {}", row.commandId(), e.toString());
                    }
                    return Mono.just(pending(row.commandId()));
                });
    }

    private Mono<LedgerOutcome> record(LedgerReply reply) {
        LedgerOutcome outcome;
        if (reply instanceof CommandRejectedReply rejected) {
            outcome = new LedgerOutcome(reply.commandId(), LedgerOutcome.Status.REJECTED, rejected.reason().name(),
                    rejected.detail(), rejected.budgetId());
        } else {
            outcome = new LedgerOutcome(reply.commandId(), LedgerOutcome.Status.ACCEPTED,
                    ((CommandAcceptedReply) reply).outcome(), null, null);
        }
        // The answer and what governance does about it commit together: if acting on it fails, the command stays
        // unanswered and is sent again, and the ledger, which applies a command id once, answers the same.
        return tx.run(Sql.bind(db.sql("""
                        update ledger_outbox set status = :status, reason = :reason, detail = :detail,
                        answered_at = :at where command_id = :id and status = 'PENDING'"""),
                        "status", outcome.status().name(), "reason", Sql.nullable(outcome.reason(), String.class),
                        "detail", Sql.nullable(outcome.detail(), String.class),
                        "at", Instant.now().atOffset(ZoneOffset.UTC), "id", outcome.commandId())
                .fetch().rowsUpdated()
                // Only the first answer runs the handlers; a second copy of the reply finds the row answered.
                .flatMap(updated -> updated == 0 ? Mono.empty()
                        : Flux.fromIterable(handlers).concatMap(h -> h.onAnswer(outcome)).then())
                .thenReturn(outcome))
                // What the handlers staged for the state topic is committed now.
                .doOnSuccess(done -> states.flushSoon());
    }

    private Mono<Row> load(String commandId) {
        return db.sql("select command_id, ce_type, payload, status, reason, detail from ledger_outbox "
                        + "where command_id = :id")
                .bind("id", commandId)
                .map(row -> new Row(commandId, row.get("ce_type", String.class), row.get("payload", ByteBuffer.class),
                        new LedgerOutcome(commandId, LedgerOutcome.Status.valueOf(row.get("status", String.class)),
                                row.get("reason", String.class), row.get("detail", String.class), null)))
                .one();
    }

    private static LedgerOutcome pending(String commandId) {
        return new LedgerOutcome(commandId, LedgerOutcome.Status.PENDING, null, null, null);
    }

    private record Row(String commandId, String ceType, ByteBuffer payload, LedgerOutcome outcome) {

        LedgerCommand command() {
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            return (LedgerCommand) TallyJson.read(bytes, LedgerMessageTypes.ofCeType(ceType).javaType());
        }
    }
}

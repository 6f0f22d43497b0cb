package dev.tally.ledger.publication;

import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.topic.Topics;
import dev.tally.ledger.audit.chain.ChainHeaders;
import dev.tally.ledger.intake.CommandTraces;
import dev.tally.ledger.intake.LedgerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every stored ledger event to {@code tally.ledger.events}, in store order, from a tracking processor over
 * the event store, with its sequence and hash-chain link as CloudEvents extensions. The processor's token only moves
 * after Kafka acknowledged the whole batch, so a crash between the store's commit and the send re-sends, never skips;
 * a re-sent event carries the same {@code ce_id}.
 */
@Component
@ProcessingGroup(LedgerEventPublisher.PROCESSOR)
public class LedgerEventPublisher {

    public static final String PROCESSOR = "ledger-event-publisher";
    private static final String PENDING = LedgerEventPublisher.class.getName() + ".pending";

    private final KafkaTemplate<String, byte[]> kafka;
    private final CommandTraces traces;

    public LedgerEventPublisher(KafkaTemplate<String, byte[]> kafka, CommandTraces traces) {
        this.kafka = kafka;
        this.traces = traces;
    }

    @EventHandler
    public void on(LedgerEvent event, EventMessage<?> message) {
        ProducerRecord<String, byte[]> record = LedgerRecords.record(Topics.LEDGER_EVENTS.name(), null,
                event.ledgerId(), message.getIdentifier(), event.occurredAt(), event.ledgerId(), event);
        ChainHeaders.add(record.headers(), message);
        // The consumers of the event (analytics' projections, BI) continue the trace of the command that caused it.
        traces.publish(event, record.headers());
        pendingSends().add(kafka.send(record));
    }

    private List<CompletableFuture<?>> pendingSends() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            batch.onPrepareCommit(unitOfWork -> awaitAll(sends));
            return sends;
        });
    }

    private static void awaitAll(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing ledger events", e);
        } catch (ExecutionException | TimeoutException e) {
            // Failing the batch rolls the token back: the processor retries these events.
            throw new IllegalStateException("ledger events not acknowledged by Kafka", e);
        }
    }
}

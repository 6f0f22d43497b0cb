package dev.tally.governance.budget;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Agent Control's auto-disable: when the ledger reports an auto-disable budget exhausted, the budget's target is
 * disabled. Every other ledger event (nearly all of them: each gateway request adds one or two) is skipped by its
 * {@code ce_type} header, compared as bytes, without reading the value.
 */
@Component
public class BudgetExhaustionListener {

    private static final byte[] EXHAUSTED = LedgerMessageTypes.of(BudgetExhaustedEvent.class).ceType()
            .getBytes(StandardCharsets.UTF_8);

    private final AutoDisable autoDisable;

    public BudgetExhaustionListener(AutoDisable autoDisable) {
        this.autoDisable = autoDisable;
    }

    // Every gateway request adds ledger events and a quarter second more before an auto-disable is nothing: fetch
    // (and commit offsets) in batches instead of once per event, and take a whole poll in one call.
    @KafkaListener(topics = "tally.ledger.events", groupId = "governance-budget-watch", batch = "true",
            properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=250"})
    void onLedgerEvents(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            try {
                onLedgerEvent(records.get(i));
            } catch (RuntimeException e) {
                // The error handler commits the records before it, retries this one and then dead-letters it, as it
                // did for one record at a time; the rest of the poll is delivered again.
                throw new BatchListenerFailedException(String.valueOf(e.getMessage()), e, i);
            }
        }
    }

    private void onLedgerEvent(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (type == null || !Arrays.equals(EXHAUSTED, type.value())) {
            return;
        }
        BudgetExhaustedEvent event = TallyJson.read(record.value(), BudgetExhaustedEvent.class);
        if (event.autoDisable()) {
            autoDisable.disable(event).block();
        }
    }
}

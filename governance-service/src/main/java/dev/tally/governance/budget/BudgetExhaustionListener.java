package dev.tally.governance.budget;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Seed 004's auto-disable: when the ledger reports an auto-disable budget exhausted, the budget's target is
 * disabled. Other ledger events are skipped by their type header without reading the value.
 */
@Component
public class BudgetExhaustionListener {

    private static final String EXHAUSTED = LedgerMessageTypes.of(BudgetExhaustedEvent.class).ceType();

    private final AutoDisable autoDisable;

    public BudgetExhaustionListener(AutoDisable autoDisable) {
        this.autoDisable = autoDisable;
    }

    // Every gateway request adds a ledger event and a quarter second more before an auto-disable is nothing: fetch
    // (and commit offsets) in batches instead of once per event.
    @KafkaListener(topics = "tally.ledger.events", groupId = "governance-budget-watch",
            properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=250"})
    void onLedgerEvent(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (type == null || !EXHAUSTED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        BudgetExhaustedEvent event = TallyJson.read(record.value(), BudgetExhaustedEvent.class);
        if (event.autoDisable()) {
            autoDisable.disable(event).block();
        }
    }
}

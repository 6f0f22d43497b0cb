package dev.tally.ledger.intake;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * The ledger's command metrics: {@code tally.ledger.commands} by command type, result and refusal reason (a counter,
 * so a rate per type), and {@code tally.ledger.command.latency} by type, from the moment the command was written to
 * {@code tally.ledger.commands} (the record's timestamp) to its answer: what a gateway waits, less its own round trip
 * to Kafka.
 */
@Component
public class CommandMetrics {

    private final MeterRegistry registry;

    public CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(ConsumerRecord<String, byte[]> record, LedgerCommand command, LedgerReply reply) {
        String type = command.getClass().getSimpleName();
        String reason = reply instanceof CommandRejectedReply rejected ? rejected.reason().name() : "none";
        registry.counter("tally.ledger.commands", "command", type, "result",
                reply instanceof CommandRejectedReply ? "rejected" : "accepted", "reason", reason).increment();
        long waited = System.currentTimeMillis() - record.timestamp();
        if (record.timestamp() > 0 && waited >= 0) {
            registry.timer("tally.ledger.command.latency", "command", type).record(waited, TimeUnit.MILLISECONDS);
        }
    }
}

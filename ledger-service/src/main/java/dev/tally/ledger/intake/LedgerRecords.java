package dev.tally.ledger.intake;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.time.Instant;

/** Kafka records of ledger messages: CloudEvents headers around Tally's JSON. */
public final class LedgerRecords {

    public static final String SOURCE = "tally/ledger-service";

    private LedgerRecords() {
    }

    public static LedgerCommand readCommand(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Envelope.fromHeaders(name -> value(record.headers(), name));
        MessageType<?> type = LedgerMessageTypes.ofCeType(envelope.type());
        if (!LedgerCommand.class.isAssignableFrom(type.javaType())) {
            throw new InvalidEnvelopeException(envelope.type() + " is not a ledger command");
        }
        if (record.value() == null) {
            throw new InvalidEnvelopeException("record has no value");
        }
        return (LedgerCommand) TallyJson.read(record.value(), type.javaType());
    }

    /** A record for any ledger message; {@code id} is the CloudEvents id, stable across re-sends of the same message. */
    public static ProducerRecord<String, byte[]> record(String topic, Integer partition, String key, String id,
            Instant time, String ledgerId, Object message) {
        MessageType<?> type = LedgerMessageTypes.of(message.getClass());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, TallyJson.write(message));
        new Envelope(id, type.ceType(), SOURCE, time, ledgerId).toHeaders().forEach(record.headers()::add);
        return record;
    }

    public static byte[] value(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }
}

package dev.tally.ledger.client;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The wire form of ledger requests and replies (docs/ledger.md, "Replies"). */
final class LedgerRecords {

    /** Where the ledger sends the reply; the names are spring-kafka's, which ledger-service reads. */
    static final String REPLY_TOPIC_HEADER = "kafka_replyTopic";
    /** Chosen per request; the ledger copies it onto the reply. */
    static final String CORRELATION_ID_HEADER = "kafka_correlationId";

    private LedgerRecords() {
    }

    static ProducerRecord<String, byte[]> command(LedgerCommand command, String source, String correlationId,
            Instant now) {
        MessageType<?> type = LedgerMessageTypes.of(command.getClass());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_COMMANDS.name(), command.ledgerId(),
                TallyJson.write(command));
        new Envelope(command.commandId(), type.ceType(), source, now, command.ledgerId())
                .toHeaders().forEach(record.headers()::add);
        record.headers().add(REPLY_TOPIC_HEADER, Topics.LEDGER_REPLIES.name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CORRELATION_ID_HEADER, correlationId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The correlation id of a reply, or null when it has none. */
    static String correlationId(Headers headers) {
        Header header = headers.lastHeader(CORRELATION_ID_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a reply record.
     *
     * @throws RuntimeException when the record is not a readable ledger reply (envelope, type or JSON)
     */
    static LedgerReply reply(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Envelope.fromHeaders(name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        });
        MessageType<?> type = LedgerMessageTypes.ofCeType(envelope.type());
        if (!LedgerReply.class.isAssignableFrom(type.javaType())) {
            throw new InvalidEnvelopeException("not a ledger reply: " + envelope.type());
        }
        if (record.value() == null) {
            throw new InvalidEnvelopeException("reply " + envelope.id() + " has no value");
        }
        return (LedgerReply) TallyJson.read(record.value(), type.javaType());
    }
}

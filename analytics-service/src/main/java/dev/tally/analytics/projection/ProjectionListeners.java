package dev.tally.analytics.projection;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two projection consumers. Each poll (up to {@link ProjectionKafkaConfiguration#MAX_POLL_RECORDS} records) is
 * projected in one database transaction; offsets are committed after it is in PostgreSQL, so a crash re-delivers
 * rather than skips, and the projectors' idempotency makes the re-delivery harmless. A record that cannot be read
 * goes to {@code <topic>.DLT} and the rest of its poll is projected (see {@link PollProjection} and
 * {@link ProjectionKafkaConfiguration}).
 */
@Component
public class ProjectionListeners extends AbstractConsumerSeekAware {

    public static final String LEDGER = "analytics-ledger-projection";
    public static final String REQUESTS = "analytics-request-projection";
    /** Without it a listener's id would be its group, and the lag would be measured on the wrong group. */
    private static final String GROUP = "${tally.analytics.consumer-group}";

    private final PollProjection<LedgerEventRecord> ledger;
    private final PollProjection<GatewayRequestRecord> requests;
    /** Topics to read again from offset zero at their next assignment: set by a rebuild. */
    private final Set<String> rewind = ConcurrentHashMap.newKeySet();

    public ProjectionListeners(LedgerProjector ledger, RequestProjector requests) {
        this.ledger = new PollProjection<>("tally.ledger.events", ProjectionListeners::ledgerEvent, ledger::project);
        this.requests = new PollProjection<>("tally.gateway.requests", ProjectionListeners::gatewayRequest,
                requests::project);
    }

    @KafkaListener(id = LEDGER, groupId = GROUP, topics = "tally.ledger.events", batch = "true",
            containerFactory = ProjectionKafkaConfiguration.BATCH_FACTORY)
    void onLedgerEvents(List<ConsumerRecord<String, byte[]>> records) {
        ledger.project(records);
    }

    @KafkaListener(id = REQUESTS, groupId = GROUP, topics = "tally.gateway.requests", batch = "true",
            containerFactory = ProjectionKafkaConfiguration.BATCH_FACTORY)
    void onGatewayRequests(List<ConsumerRecord<String, byte[]>> records) {
        requests.project(records);
    }

    static LedgerEventRecord ledgerEvent(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Envelope.fromHeaders(name -> header(record, name));
        MessageType<?> type = LedgerMessageTypes.ofCeType(envelope.type());
        if (!LedgerEvent.class.isAssignableFrom(type.javaType()) || record.value() == null) {
            throw new InvalidEnvelopeException(envelope.type() + " is not a ledger event");
        }
        return new LedgerEventRecord(envelope.id(), (LedgerEvent) TallyJson.read(record.value(), type.javaType()));
    }

    static GatewayRequestRecord gatewayRequest(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Envelope.fromHeaders(name -> header(record, name));
        if (!GatewayMessageTypes.REQUEST.ceType().equals(envelope.type()) || record.value() == null) {
            throw new InvalidEnvelopeException(envelope.type() + " is not a gateway request record");
        }
        return TallyJson.read(record.value(), GatewayRequestRecord.class);
    }

    void rewindOnNextAssignment(Set<String> topics) {
        rewind.addAll(topics);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        super.onPartitionsAssigned(assignments, callback);
        var toRewind = assignments.keySet().stream().filter(tp -> rewind.contains(tp.topic())).toList();
        if (!toRewind.isEmpty()) {
            callback.seekToBeginning(toRewind);
            toRewind.forEach(tp -> rewind.remove(tp.topic()));
        }
    }

    private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }
}

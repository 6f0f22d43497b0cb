package dev.tally.gateway.report;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one record per request to tally.gateway.requests, after the answer, off the hot path. A record that
 * cannot be sent is logged, not retried: it is a report, and the ledger's events remain the money's source of truth.
 */
@Component
public class RequestRecorder {

    private static final Logger log = LoggerFactory.getLogger(RequestRecorder.class);

    private final KafkaTemplate<String, byte[]> kafka;

    public RequestRecorder(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    public void record(GatewayRequestRecord record) {
        ProducerRecord<String, byte[]> message = new ProducerRecord<>(Topics.GATEWAY_REQUESTS.name(), record.orgId(),
                TallyJson.write(record));
        new Envelope(record.requestId(), GatewayMessageTypes.REQUEST.ceType(), "tally/gateway", record.occurredAt(),
                record.orgId()).toHeaders().forEach(message.headers()::add);
        kafka.send(message).whenComplete((sent, error) -> {
            if (error != null) {
                log.warn("request record {} not published: {}", record.requestId(), error.toString());
            }
        });
    }
}

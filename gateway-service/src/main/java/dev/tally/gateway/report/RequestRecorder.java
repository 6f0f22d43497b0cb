package dev.tally.gateway.report;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes one record per request to tally.gateway.requests, after the answer, off the hot path. A record that
 * cannot be sent is logged, not retried: it is a report, and the ledger's events remain the money's source of truth.
 *
 * <p>The send runs on a thread of its own: {@code KafkaProducer.send} blocks (up to {@code max.block.ms}, 60 s) while
 * it has no metadata for the topic, as when the broker is down, and the callers are the request's threads (Netty's
 * event loops among them). While Kafka is away the records queue up, and beyond {@link #QUEUE_CAPACITY} they are
 * dropped, never holding up an answer.
 */
@Component
public class RequestRecorder {

    static final int QUEUE_CAPACITY = 10_000;
    private static final Logger log = LoggerFactory.getLogger(RequestRecorder.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final RequestMetrics metrics;
    private final ThreadPoolExecutor sender;

    @Autowired
    public RequestRecorder(KafkaTemplate<String, byte[]> kafka, RequestMetrics metrics) {
        this(kafka, metrics, QUEUE_CAPACITY);
    }

    RequestRecorder(KafkaTemplate<String, byte[]> kafka, RequestMetrics metrics, int queueCapacity) {
        this.kafka = kafka;
        this.metrics = metrics;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "request-recorder");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Counts the request in the metrics and returns; the record is sent in the background. */
    public void record(GatewayRequestRecord record) {
        // Counted here, not on the sender's thread: metrics must not be lost with records Kafka cannot take.
        metrics.observe(record);
        try {
            // Serialised on the sender's thread too: the caller may be a Netty event loop serving other requests.
            sender.execute(() -> send(message(record), record.requestId()));
        } catch (RejectedExecutionException e) {
            log.warn("request record {} not published: {} records are waiting for Kafka already", record.requestId(),
                    sender.getQueue().size());
        }
    }

    private static ProducerRecord<String, byte[]> message(GatewayRequestRecord record) {
        ProducerRecord<String, byte[]> message = new ProducerRecord<>(Topics.GATEWAY_REQUESTS.name(), record.orgId(),
                TallyJson.write(record));
        new Envelope(record.requestId(), GatewayMessageTypes.REQUEST.ceType(), "tally/gateway", record.occurredAt(),
                record.orgId()).toHeaders().forEach(message.headers()::add);
        return message;
    }

    private void send(ProducerRecord<String, byte[]> message, String requestId) {
        try {
            kafka.send(message).whenComplete((sent, error) -> {
                if (error != null) {
                    log.warn("request record {} not published: {}", requestId, error.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("request record {} not published: {}", requestId, e.toString());
        }
    }

    /** Sends what is queued (for a few seconds at most) before the producer closes. */
    @PreDestroy
    void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
    }
}

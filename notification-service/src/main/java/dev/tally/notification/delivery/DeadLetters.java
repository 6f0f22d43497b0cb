package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.envelope.Envelope;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import dev.tally.notification.channel.Channel;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes an alert that could not be delivered to a channel on tally.alerts.dead-letter (key: org id), the alert
 * as value and what failed in the headers, before the delivery is marked DEAD: a crash in between publishes it again
 * rather than never.
 */
@Component
public class DeadLetters {

    public static final String REASON = "tally_reason";
    public static final String CHANNEL_ID = "tally_channel_id";
    public static final String CHANNEL_KIND = "tally_channel_kind";
    public static final String DELIVERY_ID = "tally_delivery_id";
    public static final String ATTEMPTS = "tally_attempts";

    private final KafkaTemplate<String, byte[]> kafka;

    public DeadLetters(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    public void publish(Alert alert, Channel channel, Delivery delivery, int attempts, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ALERTS_DEAD_LETTER.name(), alert.orgId(),
                TallyJson.write(alert));
        new Envelope(delivery.id(), AlertMessageTypes.ALERT.ceType(), "tally/notification", Instant.now(),
                alert.orgId()).toHeaders().forEach(record.headers()::add);
        record.headers().add(REASON, bytes(reason));
        record.headers().add(CHANNEL_ID, bytes(channel.id()));
        record.headers().add(CHANNEL_KIND, bytes(channel.kind().name()));
        record.headers().add(DELIVERY_ID, bytes(delivery.id()));
        record.headers().add(ATTEMPTS, bytes(Integer.toString(attempts)));
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a dead letter", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the dead letter of delivery " + delivery.id(), e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

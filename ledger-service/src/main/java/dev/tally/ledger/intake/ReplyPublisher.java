package dev.tally.ledger.intake;

import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Answers the instance that asked: to the reply topic and partition it named in the command's headers (as
 * spring-kafka's ReplyingKafkaTemplate does), carrying its correlation id back unchanged.
 */
@Component
public class ReplyPublisher {

    private static final Logger log = LoggerFactory.getLogger(ReplyPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;

    public ReplyPublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    public void reply(ConsumerRecord<String, byte[]> command, LedgerReply reply) {
        byte[] replyTopic = LedgerRecords.value(command.headers(), KafkaHeaders.REPLY_TOPIC);
        byte[] replyPartition = LedgerRecords.value(command.headers(), KafkaHeaders.REPLY_PARTITION);
        byte[] correlation = LedgerRecords.value(command.headers(), KafkaHeaders.CORRELATION_ID);
        String topic = replyTopic == null ? Topics.LEDGER_REPLIES.name() : new String(replyTopic, StandardCharsets.UTF_8);
        Integer partition = replyPartition == null || replyPartition.length != 4 ? null
                : ByteBuffer.wrap(replyPartition).getInt();
        ProducerRecord<String, byte[]> record = LedgerRecords.record(topic, partition, reply.commandId(),
                UUID.randomUUID().toString(), Instant.now(), reply.ledgerId(), reply);
        if (correlation != null) {
            record.headers().add(KafkaHeaders.CORRELATION_ID, correlation);
        }
        // A lost reply loses no credit: the asker times out and retries with the same command id, which the
        // command-outcome table answers with the first outcome.
        kafka.send(record).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("reply to command {} of ledger {} not sent: {}", reply.commandId(), reply.ledgerId(),
                        failure.toString());
            }
        });
    }
}

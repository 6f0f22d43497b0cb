package dev.tally.notification.kafka;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.kafka.ConsumerErrorHandlers;
import dev.tally.servicekit.kafka.DatabaseRetry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.backoff.FixedBackOff;

@Configuration
public class NotificationKafkaConfiguration {

    @Bean
    NewTopic alertsTopic(@Value("${tally.notification.alert-partitions:4}") int partitions) {
        return TopicBuilder.name(Topics.ALERTS.name()).partitions(partitions)
                .config("retention.ms", String.valueOf(Topics.ALERTS.retentionMs())).build();
    }

    @Bean
    NewTopic alertsDeadLetterTopic(@Value("${tally.notification.alert-partitions:4}") int partitions) {
        return TopicBuilder.name(Topics.ALERTS_DEAD_LETTER.name()).partitions(partitions)
                .config("retention.ms", String.valueOf(Topics.ALERTS_DEAD_LETTER.retentionMs())).build();
    }

    /**
     * A record this service cannot read goes to {@code <topic>.DLT} with the reason in the headers, never dropped;
     * an unreadable one at once; while the database cannot be reached, after minutes of back-off
     * ({@link DatabaseRetry}), so a database restart dead-letters nothing; one that fails otherwise after three tries. The partition is left to
     * Kafka, so the DLT need not have as many partitions as the source.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> kafka, Environment environment) {
        return ConsumerErrorHandlers.deadLettering(new DeadLetterPublishingRecoverer(kafka,
                (record, e) -> new TopicPartition(record.topic() + ".DLT", -1)), DatabaseRetry.from(environment),
                new FixedBackOff(1000, 2), InvalidEnvelopeException.class);
    }
}

package dev.tally.analytics.projection;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.topic.Topics;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
public class ProjectionKafkaConfiguration {

    /**
     * A record that cannot be read goes to {@code <topic>.DLT} at once; a database failure is retried briefly first.
     * Either way the projection carries on with the next record and nothing is dropped silently.
     */
    @Bean
    CommonErrorHandler projectionErrorHandler(KafkaTemplate<String, byte[]> kafka) {
        // A negative partition lets Kafka choose, so the DLT need not have as many partitions as its source.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(record.topic() + ".DLT", -1));
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, new FixedBackOff(500, 3));
        handler.addNotRetryableExceptions(InvalidEnvelopeException.class);
        return handler;
    }

    @Bean
    KafkaAdmin.NewTopics projectionDeadLetterTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.LEDGER_EVENTS.deadLetterName()).partitions(1).build(),
                TopicBuilder.name(Topics.GATEWAY_REQUESTS.deadLetterName()).partitions(1).build());
    }
}

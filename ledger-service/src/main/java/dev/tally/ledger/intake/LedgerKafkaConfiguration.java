package dev.tally.ledger.intake;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.topic.Topic;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.kafka.ConsumerErrorHandlers;
import dev.tally.servicekit.kafka.DatabaseRetry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
public class LedgerKafkaConfiguration {

    /**
     * A record that cannot be read goes to the DLT at once; while the event store's database cannot be reached a
     * command is retried with back-off for minutes ({@link DatabaseRetry}), so a database restart dead-letters no
     * command; any other failure is retried briefly first. Either way the consumer carries on with the next record.
     */
    @Bean
    public CommonErrorHandler ledgerErrorHandler(KafkaTemplate<String, byte[]> kafka, Environment environment) {
        // <topic>.DLT, same partition: the name docs/ledger.md and docs/events.md give (spring-kafka 4 defaults to
        // -dlt).
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(record.topic() + ".DLT", record.partition()));
        return ConsumerErrorHandlers.deadLettering(deadLetters, DatabaseRetry.from(environment),
                new FixedBackOff(200, 3), InvalidEnvelopeException.class);
    }

    @Bean
    public KafkaAdmin.NewTopics ledgerTopics(@Value("${tally.ledger.partitions:8}") int partitions) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.LEDGER_COMMANDS, partitions),
                // The dead-letter publisher keeps the source partition, so the DLT needs as many.
                TopicBuilder.name(Topics.LEDGER_COMMANDS.deadLetterName()).partitions(partitions).build(),
                topic(Topics.LEDGER_REPLIES, partitions),
                topic(Topics.LEDGER_EVENTS, partitions));
    }

    private static NewTopic topic(Topic<?, ?> topic, int partitions) {
        return TopicBuilder.name(topic.name()).partitions(partitions)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retentionMs()))
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().name().toLowerCase())
                .build();
    }
}

package dev.tally.governance.publication;

import dev.tally.events.topic.Topics;
import dev.tally.governance.GovernanceSettings;
import dev.tally.servicekit.kafka.ConsumerErrorHandlers;
import dev.tally.servicekit.kafka.DatabaseRetry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.backoff.FixedBackOff;

@Configuration
public class GovernanceKafkaConfiguration {

    /** Compacted: the newest record per key is the current state, so the topic never outgrows the entities. */
    @Bean
    NewTopic governanceStateTopic(GovernanceSettings settings) {
        return TopicBuilder.name(Topics.GOVERNANCE_STATE.name()).partitions(settings.statePartitions())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .build();
    }

    /**
     * A ledger event governance cannot process goes to {@code <topic>.DLT} after three tries, never dropped; while the
     * database cannot be reached, after minutes of back-off ({@link DatabaseRetry}), so a database restart
     * dead-letters nothing.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> kafka, Environment environment) {
        // <topic>.DLT, the name docs/governance.md and docs/events.md give, in a partition Kafka chooses: the default
        // resolver wrote to <topic>-dlt (spring-kafka 4) in the source partition, which a DLT created with fewer
        // partitions than tally.ledger.events does not have.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(record.topic() + ".DLT", -1));
        return ConsumerErrorHandlers.deadLettering(deadLetters, DatabaseRetry.from(environment),
                new FixedBackOff(500, 2));
    }
}

package dev.tally.governance.publication;

import dev.tally.events.topic.Topics;
import dev.tally.governance.GovernanceSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
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

    /** A ledger event governance cannot process goes to {@code <topic>.DLT} after three tries, never dropped. */
    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> kafka) {
        return new DefaultErrorHandler(new DeadLetterPublishingRecoverer(kafka), new FixedBackOff(500, 2));
    }
}

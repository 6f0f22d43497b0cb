package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

    private final Map<String, NewTopic> topics = TopicSetup.topics().stream()
            .collect(Collectors.toMap(NewTopic::name, topic -> topic));

    @Test
    void every_topic_of_the_registry_and_the_ledger_commands_dead_letters_are_created() {
        assertThat(topics).containsOnlyKeys("tally.ledger.commands", "tally.ledger.commands.DLT",
                "tally.ledger.replies", "tally.ledger.events", "tally.governance.state", "tally.gateway.requests",
                "tally.alerts", "tally.alerts.dead-letter");
    }

    @Test
    void ledger_topics_get_the_ledgers_partition_count_and_the_rest_four() {
        assertThat(topics.get("tally.ledger.commands").numPartitions()).isEqualTo(8);
        assertThat(topics.get("tally.ledger.commands.DLT").numPartitions()).isEqualTo(8);
        assertThat(topics.get("tally.ledger.events").numPartitions()).isEqualTo(8);
        assertThat(topics.get("tally.governance.state").numPartitions()).isEqualTo(4);
        assertThat(topics.get("tally.gateway.requests").numPartitions()).isEqualTo(4);
    }

    @Test
    void the_state_topic_is_compacted_and_the_audit_trail_kept_forever() {
        assertThat(topics.get("tally.governance.state").configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(topics.get("tally.ledger.events").configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void the_replication_factor_is_left_to_the_broker() {
        assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) -1));
    }
}

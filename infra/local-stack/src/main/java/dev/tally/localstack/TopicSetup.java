package dev.tally.localstack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.tally.events.topic.Cleanup;
import dev.tally.events.topic.Topic;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every topic of the registry before the services start, with the partitions and cleanup policies the
 * services would give them (ledger topics 8 partitions, the rest 4, the state topic compacted). A topic that exists is
 * left as it is.
 */
final class TopicSetup {

    static final int LEDGER_PARTITIONS = 8;
    static final int OTHER_PARTITIONS = 4;

    private TopicSetup() {
    }

    static List<NewTopic> topics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.all()) {
            int partitions = topic.name().startsWith("tally.ledger.") ? LEDGER_PARTITIONS : OTHER_PARTITIONS;
            topics.add(newTopic(topic.name(), partitions, topic.cleanup(), topic.retentionMs()));
        }
        // The ledger's dead-letter publisher keeps the source partition, so the DLT needs as many.
        topics.add(newTopic(Topics.LEDGER_COMMANDS.deadLetterName(), LEDGER_PARTITIONS, Cleanup.DELETE,
                Topics.LEDGER_COMMANDS.retentionMs()));
        return topics;
    }

    private static NewTopic newTopic(String name, int partitions, Cleanup cleanup, long retentionMs) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup == Cleanup.COMPACT
                ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        if (cleanup != Cleanup.COMPACT) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
        }
        // No replication factor: the broker's default, 1 on the local broker, whatever an external cluster says.
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }

    /** Returns how many topics were created (0 when all existed). */
    static int createMissing(String bootstrapServers, KafkaSecurity security) {
        int created = 0;
        try (Admin admin = Admin.create(security.addTo(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)))) {
            var results = admin.createTopics(topics()).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                } catch (Exception e) {
                    throw new StackException("could not create topic " + entry.getKey() + ": " + e, e);
                }
            }
        }
        return created;
    }
}

package dev.tally.governance.support;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a gateway would see: tally.governance.state read from the beginning into a key → state map, kept current by
 * a background poller. A tombstone removes the key.
 */
public final class StateTopicView implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, GovernanceState> states = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tombstoned = new ConcurrentHashMap<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    public StateTopicView(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.GOVERNANCE_STATE.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        poller = new Thread(this::poll, "state-topic-view");
        poller.setDaemon(true);
        poller.start();
    }

    public Optional<GovernanceState> get(String key) {
        return Optional.ofNullable(states.get(key));
    }

    public <T extends GovernanceState> Optional<T> get(String key, Class<T> type) {
        return get(key).filter(type::isInstance).map(type::cast);
    }

    /** How many records of this key were read, tombstones included: tells a republished value from the last one. */
    public int versions(String key) {
        return versions.getOrDefault(key, 0);
    }

    public boolean deleted(String key) {
        return tombstoned.containsKey(key) && !states.containsKey(key);
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    versions.merge(record.key(), 1, Integer::sum);
                    if (record.value() == null) {
                        states.remove(record.key());
                        tombstoned.put(record.key(), true);
                        continue;
                    }
                    String ceType = new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value(),
                            StandardCharsets.UTF_8);
                    Class<?> type = GovernanceMessageTypes.ofCeType(ceType).javaType();
                    states.put(record.key(), (GovernanceState) TallyJson.read(record.value(), type));
                    tombstoned.remove(record.key());
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(5000);
    }
}

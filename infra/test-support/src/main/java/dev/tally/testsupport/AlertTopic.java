package dev.tally.testsupport;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads tally.alerts from the beginning, as notification-service does, keeping one organisation's alerts. */
public final class AlertTopic {

    private AlertTopic() {
    }

    /** Every alert of the org on the topic now, in order, with its ce_type header checked. */
    public static List<Alert> of(String bootstrapServers, String orgId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Alert> alerts = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
                    if (orgId.equals(record.key()) && type != null
                            && AlertMessageTypes.ALERT.ceType().equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        alerts.add(TallyJson.read(record.value(), Alert.class));
                    }
                }
            }
            return alerts;
        }
    }
}

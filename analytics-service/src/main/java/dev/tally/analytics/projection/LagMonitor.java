package dev.tally.analytics.projection;

import dev.tally.analytics.AnalyticsSettings;
import dev.tally.servicekit.kafka.KafkaConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How many records of each topic the projections have not yet committed: the broker's last stable offsets minus the
 * consumer group's committed offsets. Published as the gauge {@code tally.analytics.lag{topic}} and in
 * {@code GET /health}. Measured from the broker rather than the consumer, so it also grows while the consumer is
 * stopped or stuck.
 */
@Component
public class LagMonitor implements DisposableBean {

    public static final List<String> TOPICS = List.of("tally.ledger.events", "tally.gateway.requests");
    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final Admin admin;
    private final String group;
    /** -1 until measured, e.g. while a topic does not exist yet. */
    private final Map<String, Long> lag = new ConcurrentHashMap<>();

    public LagMonitor(KafkaConnection kafka, AnalyticsSettings settings, MeterRegistry meters) {
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        this.admin = Admin.create(properties);
        this.group = settings.consumerGroup();
        for (String topic : TOPICS) {
            lag.put(topic, -1L);
            Gauge.builder("tally.analytics.lag", lag, m -> m.getOrDefault(topic, -1L))
                    .description("records of the topic not yet projected (-1: not measured yet)")
                    .tag("topic", topic).register(meters);
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${tally.analytics.lag-interval:2s}")
    public void measure() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            var descriptions = admin.describeTopics(TOPICS).topicNameValues();
            for (String topic : TOPICS) {
                List<TopicPartition> partitions;
                try {
                    partitions = descriptions.get(topic).get(10, TimeUnit.SECONDS).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                } catch (java.util.concurrent.ExecutionException e) {
                    lag.put(topic, -1L);
                    continue;
                }
                var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                                p -> OffsetSpec.latest())), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all().get(10, TimeUnit.SECONDS);
                long total = 0;
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata done = committed.get(partition);
                    total += Math.max(0, ends.get(partition).offset() - (done == null ? 0 : done.offset()));
                }
                lag.put(topic, total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("lag not measured: {}", e.toString());
        }
    }

    public Map<String, Long> lag() {
        return new LinkedHashMap<>(TOPICS.stream().collect(Collectors.toMap(Function.identity(),
                t -> lag.getOrDefault(t, -1L), (a, b) -> a, LinkedHashMap::new)));
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}

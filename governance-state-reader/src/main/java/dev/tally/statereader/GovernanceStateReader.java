package dev.tally.statereader;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Reads tally.governance.state from the beginning, on every start, into a {@link StateSink}, then follows it.
 * No consumer group: every replica reads every partition, so each has the whole view. {@link #caughtUp()} turns true
 * once the reader has reached what was on the topic when it started; services report ready only from then on.
 */
public class GovernanceStateReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GovernanceStateReader.class);

    private final String bootstrapServers;
    private final Map<String, Object> securityProperties;
    private final String threadName;
    private final StateSink sink;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private MeterRegistry metrics;
    private KafkaClientMetrics consumerMetrics;

    public GovernanceStateReader(String bootstrapServers, String threadName, StateSink sink) {
        this(bootstrapServers, Map.of(), threadName, sink);
    }

    /**
     * @param securityProperties Kafka client properties that authenticate to the brokers (service-kit's
     *                           KafkaConnection), added to the consumer's own
     */
    public GovernanceStateReader(String bootstrapServers, Map<String, ?> securityProperties, String threadName,
            StateSink sink) {
        this.bootstrapServers = bootstrapServers;
        this.securityProperties = Map.copyOf(securityProperties);
        this.threadName = threadName;
        this.sink = sink;
    }

    /**
     * Publishes the reader's Kafka consumer metrics to {@code registry} once started, tagged {@code reader} with the
     * reader's thread name: its lag ({@code kafka.consumer.fetch.manager.records.lag.max}) among them. Before
     * {@link #start()}.
     */
    public GovernanceStateReader withMetrics(MeterRegistry registry) {
        this.metrics = registry;
        return this;
    }

    public void start() {
        Map<String, Object> properties = new HashMap<>(securityProperties);
        properties.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        if (metrics != null) {
            consumerMetrics = new KafkaClientMetrics(consumer, Tags.of("reader", threadName));
            consumerMetrics.bindTo(metrics);
        }
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = waitForPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("governance state loaded");
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("governance state consumer stopped", e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> waitForPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.GOVERNANCE_STATE.name(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            log.info("waiting for topic {}", Topics.GOVERNANCE_STATE.name());
        }
        throw new WakeupException();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            sink.remove(record.key());
            return;
        }
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        try {
            Class<?> javaType = GovernanceMessageTypes.ofCeType(new String(type.value(), StandardCharsets.UTF_8))
                    .javaType();
            sink.apply(record.key(), (GovernanceState) TallyJson.read(record.value(), javaType));
        } catch (RuntimeException e) {
            // A newer governance may publish a type this service does not know: skip it, keep serving.
            log.warn("skipping state record {} at {}-{}@{}: {}", record.key(), record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

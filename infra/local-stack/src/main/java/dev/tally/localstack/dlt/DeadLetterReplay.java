package dev.tally.localstack.dlt;

import org.apache.kafka.clients.admin.Admin;
import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds the records of a dead-letter topic ({@code <topic>.DLT}) back to the topic they came from, for the consumers
 * to process again once what made them fail is fixed (a database that was away too long, a bug fixed in a new
 * release). Each record goes back with its key (so to the partition of its key, in order with its organisation's other
 * records), its value and its own headers (the CloudEvents envelope, so the consumers' idempotency by {@code ce_id}
 * still holds), without spring-kafka's {@code kafka_dlt-*} headers, and with {@code tally_replayed_from} saying where
 * it was.
 *
 * <p>The replay's progress is the committed offset of the consumer group {@value #GROUP}: a second run feeds back only
 * what was dead-lettered since, and a run that stops half-way continues where it stopped. A crash between sending and
 * committing sends a few records twice, which the consumers' idempotency absorbs. A run reads up to where the topic
 * ended when it started, so a record that fails again (and is dead-lettered again) is not replayed in a loop.
 */
public final class DeadLetterReplay {

    public static final String GROUP = "tally-dlt-replay";
    public static final String SUFFIX = ".DLT";
    public static final String REPLAYED_FROM = "tally_replayed_from";
    private static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    private static final String DLT_HEADER_PREFIX = "kafka_dlt-";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final KafkaSecurity security;

    public DeadLetterReplay(String bootstrapServers) {
        this(bootstrapServers, KafkaSecurity.PLAINTEXT);
    }

    /** @param security how to log in to the brokers: the services' own tally.kafka.* settings */
    public DeadLetterReplay(String bootstrapServers, KafkaSecurity security) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
    }

    /** A dead-letter topic: how many records it holds and how many of them no replay has fed back yet. */
    public record Waiting(String topic, long total, long notReplayed) {
    }

    /** How many records were fed back, per topic they went to. */
    public record Replayed(String deadLetterTopic, Map<String, Long> byTopic) {
        public long total() {
            return byTopic.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every {@code <topic>.DLT} on the cluster, by name. */
    public List<Waiting> list() {
        try (Admin admin = Admin.create(security.addTo(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
                KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Set<String> names = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return names.stream().filter(name -> name.endsWith(SUFFIX)).sorted().map(topic -> {
                List<TopicPartition> partitions = partitions(consumer, topic);
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
                Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions), TIMEOUT);
                long total = 0;
                long waiting = 0;
                for (TopicPartition partition : partitions) {
                    total += end.get(partition) - begin.get(partition);
                    OffsetAndMetadata committed = done.get(partition);
                    long from = committed == null ? begin.get(partition)
                            : Math.max(committed.offset(), begin.get(partition));
                    waiting += end.get(partition) - from;
                }
                return new Waiting(topic, total, waiting);
            }).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not list the topics of " + bootstrapServers + ": " + e, e);
        }
    }

    /** Feeds back every record of {@code deadLetterTopic} no earlier run fed back, up to where the topic ends now. */
    public Replayed replay(String deadLetterTopic) {
        if (!deadLetterTopic.endsWith(SUFFIX)) {
            throw new IllegalArgumentException(deadLetterTopic + " is not a dead-letter topic (<topic>" + SUFFIX
                    + "); tally.alerts.dead-letter holds alerts whose delivery failed, see docs/operations.md");
        }
        Map<String, Long> byTopic = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions), TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata committed = done.get(partition);
                consumer.seek(partition, committed == null ? begin.get(partition)
                        : Math.max(committed.offset(), begin.get(partition)));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + deadLetterTopic + " to its end in 10 minutes");
                }
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    String target = originalTopic(record);
                    producer.send(new ProducerRecord<>(target, null, record.key(), record.value(), headers(record)));
                    byTopic.merge(target, 1L, Long::sum);
                    progress.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
                // Sent before committed: a crash in between sends again (idempotent consumers), never loses.
                producer.flush();
                if (!progress.isEmpty()) {
                    consumer.commitSync(progress, TIMEOUT);
                }
                // Records past the end of the run are not read again: seek back to where the run stops.
                for (TopicPartition partition : partitions) {
                    if (consumer.position(partition, TIMEOUT) > end.get(partition)) {
                        consumer.seek(partition, end.get(partition));
                    }
                }
            }
        }
        return new Replayed(deadLetterTopic, byTopic);
    }

    private static String originalTopic(ConsumerRecord<byte[], byte[]> record) {
        Header original = record.headers().lastHeader(ORIGINAL_TOPIC);
        if (original != null) {
            return new String(original.value(), StandardCharsets.UTF_8);
        }
        return record.topic().substring(0, record.topic().length() - SUFFIX.length());
    }

    private static RecordHeaders headers(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(DLT_HEADER_PREFIX) && !header.key().equals(REPLAYED_FROM)) {
                headers.add(header);
            }
        }
        headers.add(REPLAYED_FROM, (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.listTopics(TIMEOUT).get(topic);
        if (infos == null) {
            throw new IllegalArgumentException("no topic " + topic + " on " + bootstrapServers);
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(security.addTo(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(security.addTo(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}

package dev.tally.ledger.audit.cli;

import dev.tally.ledger.audit.chain.ChainHeaders;
import dev.tally.events.envelope.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code tally.ledger.events} holds, read once from the beginning to the end it had when reading started, as
 * a consumer of ledger output reads it ({@code read_committed}, no consumer group). Per ledger and {@code ce_id} it
 * keeps the sequence and hash headers and a SHA-256 of the value, not the value, so a sweep of a long topic stays
 * small.
 */
final class TopicIndex {

    /** One record as the sweep compares it with the event store. */
    record Published(String ceId, Long sequence, String hash, byte[] valueDigest) {
    }

    private final Map<String, Map<String, Published>> byLedger = new HashMap<>();
    private final Instant readAt;
    private final String topic;
    private long records;

    private TopicIndex(String topic, Instant readAt) {
        this.topic = topic;
        this.readAt = readAt;
    }

    static TopicIndex read(Map<String, Object> kafka, String topic, Predicate<String> ledgers, PrintStream progress) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        TopicIndex index = new TopicIndex(topic, Instant.now());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
            long reportAt = System.nanoTime();
            while (!end.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long stop = end.get(partition);
                    if (stop != null && record.offset() < stop && record.key() != null && ledgers.test(record.key())) {
                        index.add(record);
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (System.nanoTime() - reportAt > 5_000_000_000L) {
                    progress.println("audit: " + index.records + " records of " + topic + " read");
                    reportAt = System.nanoTime();
                }
            }
        }
        return index;
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        String ceId = header(record, CloudEventHeaders.ID);
        if (ceId == null) {
            return;
        }
        String sequence = header(record, ChainHeaders.SEQUENCE_HEADER);
        byLedger.computeIfAbsent(record.key(), k -> new HashMap<>()).put(ceId, new Published(ceId,
                sequence == null ? null : Long.valueOf(sequence), header(record, ChainHeaders.HASH_HEADER),
                digest(record.value())));
        records++;
    }

    /** The ledger's records by {@code ce_id}; empty when it has none. */
    Map<String, Published> ledger(String ledgerId) {
        return byLedger.getOrDefault(ledgerId, Map.of());
    }

    Instant readAt() {
        return readAt;
    }

    String topic() {
        return topic;
    }

    static byte[] digest(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

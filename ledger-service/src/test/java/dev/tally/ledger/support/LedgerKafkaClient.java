package dev.tally.ledger.support;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Talks to ledger-service the way a gateway does: a command on {@code tally.ledger.commands} with a reply topic and
 * correlation id in its headers, the reply awaited on {@code tally.ledger.replies}. Used by tests and the benchmark.
 */
public final class LedgerKafkaClient implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, CompletableFuture<LedgerReply>> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    public LedgerKafkaClient(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        // Assigned, not subscribed: no group to join, so the first reply is not lost to a rebalance.
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEDGER_REPLIES.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        poller = new Thread(this::pollReplies, "ledger-reply-poller");
        poller.setDaemon(true);
        poller.start();
    }

    public CompletableFuture<LedgerReply> send(LedgerCommand command) {
        return send(command, command.ledgerId());
    }

    /** Sends under another record key, e.g. to put a command for one ledger into another ledger's partition. */
    public CompletableFuture<LedgerReply> send(LedgerCommand command, String key) {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<LedgerReply> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        sentAtNanos.put(correlation, System.nanoTime());
        MessageType<?> type = LedgerMessageTypes.of(command.getClass());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_COMMANDS.name(), key,
                TallyJson.write(command));
        new Envelope(command.commandId(), type.ceType(), "tally/test-client", Instant.now(), command.ledgerId())
                .toHeaders().forEach(record.headers()::add);
        record.headers().add(KafkaHeaders.REPLY_TOPIC, Topics.LEDGER_REPLIES.name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaHeaders.CORRELATION_ID, correlation.getBytes(StandardCharsets.UTF_8));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }

    public LedgerReply sendAndWait(LedgerCommand command) {
        try {
            return send(command).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no reply to " + command, e);
        }
    }

    /** Sends raw bytes with the given headers: for malformed-input tests. */
    public void sendRaw(String key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_COMMANDS.name(), key, value);
        headers.forEach(record.headers()::add);
        producer.send(record);
        producer.flush();
    }

    private void pollReplies() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    var header = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                    if (header == null) {
                        continue;
                    }
                    String correlation = new String(header.value(), StandardCharsets.UTF_8);
                    CompletableFuture<LedgerReply> reply = pending.remove(correlation);
                    if (reply != null) {
                        Envelope envelope = Envelope.fromHeaders(name -> {
                            var h = record.headers().lastHeader(name);
                            return h == null ? null : h.value();
                        });
                        MessageType<?> type = LedgerMessageTypes.ofCeType(envelope.type());
                        reply.complete((LedgerReply) TallyJson.read(record.value(), type.javaType()));
                    }
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
        producer.close();
    }
}

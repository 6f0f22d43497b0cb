package dev.tally.ledger.client;

import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends commands to ledger-service over Kafka and awaits its replies: the command goes to
 * {@code tally.ledger.commands} keyed by its ledger id, with a fresh correlation id and {@code tally.ledger.replies}
 * as reply topic in its headers; the reply is matched by correlation id. Every instance reads all partitions of the
 * reply topic (assigned, no consumer group, from the end), so any number of instances can share it; each keeps the
 * replies it is waiting for and skips the rest.
 *
 * <p>Futures are completed on the client's own threads, never on Kafka's I/O threads or the reply poller, so a
 * dependent stage may block (even on another {@code send}) without stalling other replies. Thread-safe.
 */
public final class LedgerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LedgerClient.class);

    static final Duration TOPIC_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final LedgerClientSettings settings;
    private final TraceHeaders traceHeaders;
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final Map<String, CompletableFuture<LedgerReply>> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timeouts;
    private final ExecutorService completions;
    private final Thread poller;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    /**
     * Connects to Kafka and returns once it reads the reply topic. Waits up to a minute for the ledger's topics to
     * exist (ledger-service creates them) and creates none itself.
     *
     * @throws IllegalStateException when the topics do not appear in time
     */
    public LedgerClient(LedgerClientSettings settings) {
        this(settings, TraceHeaders.NONE);
    }

    /** As above; every command's record also gets {@code traceHeaders}' trace context. */
    public LedgerClient(LedgerClientSettings settings, TraceHeaders traceHeaders) {
        this(settings, producer(settings), consumer(settings), traceHeaders);
    }

    LedgerClient(LedgerClientSettings settings, Producer<String, byte[]> producer, Consumer<String, byte[]> consumer) {
        this(settings, producer, consumer, TraceHeaders.NONE);
    }

    LedgerClient(LedgerClientSettings settings, Producer<String, byte[]> producer, Consumer<String, byte[]> consumer,
            TraceHeaders traceHeaders) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.traceHeaders = Objects.requireNonNull(traceHeaders, "traceHeaders");
        this.producer = producer;
        this.consumer = consumer;
        int instance = INSTANCES.incrementAndGet();
        try {
            List<TopicPartition> replyPartitions = awaitPartitions(Topics.LEDGER_REPLIES.name());
            // Waiting for the command topic too keeps the first send from auto-creating it with the broker's
            // default partition count before ledger-service creates it properly.
            awaitPartitions(Topics.LEDGER_COMMANDS.name());
            producer.partitionsFor(Topics.LEDGER_COMMANDS.name());
            // Assigned, not subscribed: no group to join, so no reply is lost to a rebalance, and each instance
            // sees every reply. Positions are fixed here, so replies to anything sent after the constructor are read.
            consumer.assign(replyPartitions);
            consumer.seekToEnd(replyPartitions);
            replyPartitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            closeQuietly(consumer::close);
            closeQuietly(() -> producer.close(Duration.ZERO));
            throw e;
        }
        timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("ledger-client-" + instance + "-timeouts"));
        timeouts.setRemoveOnCancelPolicy(true);
        completions = Executors.newCachedThreadPool(daemonThreads("ledger-client-" + instance + "-replies"));
        poller = new Thread(this::pollReplies, "ledger-client-" + instance + "-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private static Producer<String, byte[]> producer(LedgerClientSettings settings) {
        Map<String, Object> properties = new HashMap<>(settings.securityProperties());
        properties.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // send() blocks while it has no metadata; never longer than the caller is prepared to wait anyway.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.replyTimeout().toMillis()));
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static Consumer<String, byte[]> consumer(LedgerClientSettings settings) {
        Map<String, Object> properties = new HashMap<>(settings.securityProperties());
        properties.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // Looking a topic up must not create it.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
        return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> awaitPartitions(String topic) {
        long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (partitions != null && !partitions.isEmpty()) {
                    return partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " did not appear on " + settings.bootstrapServers()
                        + " within " + TOPIC_WAIT.toSeconds() + " s (ledger-service creates it)", last);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
            }
        }
    }

    /**
     * Sends the command keyed by its ledger id. The future completes with the ledger's reply (a
     * {@code CommandRejectedReply} is a reply, not an error), or exceptionally with {@link LedgerTimeoutException}
     * after the reply timeout, with the producer's error, or with {@link IllegalStateException} once the client is
     * closed. Resending after a timeout with the same command id is safe: the ledger applies a command once.
     */
    public CompletableFuture<LedgerReply> send(LedgerCommand command) {
        return send(command, new CompletableFuture<>());
    }

    /**
     * As {@link #send(LedgerCommand)}, and completes {@code written} once Kafka has acknowledged the command (with
     * acks=all, on every in-sync replica): from then on the ledger applies it even if this process dies, which is
     * what a caller needs to know before it lets an answer go that the command charges for. {@code written} fails
     * when the command could not be written.
     */
    public CompletableFuture<LedgerReply> send(LedgerCommand command, CompletableFuture<Void> written) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(written, "written");
        if (closed) {
            written.completeExceptionally(closedException());
            return CompletableFuture.failedFuture(closedException());
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<LedgerReply> reply = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> record = LedgerRecords.command(command, settings.source(), correlationId,
                    Instant.now());
            traceHeaders.write(record.headers());
            pending.put(correlationId, reply);
            ScheduledFuture<?> timeout = timeouts.schedule(() -> timedOut(correlationId, reply, command),
                    settings.replyTimeout().toNanos(), TimeUnit.NANOSECONDS);
            // However the future ends (reply, timeout, error, close, or the caller cancelling it), forget it.
            reply.whenComplete((result, error) -> {
                pending.remove(correlationId, reply);
                timeout.cancel(false);
            });
            producer.send(record, (metadata, error) -> {
                // On the client's threads like replies: whatever depends on it must not run on Kafka's I/O thread.
                try {
                    completions.execute(() -> {
                        if (error != null) {
                            written.completeExceptionally(error);
                        } else {
                            written.complete(null);
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    if (error != null) {
                        written.completeExceptionally(error);
                    } else {
                        written.complete(null);
                    }
                }
                if (error != null && pending.remove(correlationId, reply)) {
                    completeExceptionally(reply, error);
                }
            });
        } catch (RuntimeException e) {
            // Serialization, a producer that was closed or blocked past max.block.ms, a client closing meanwhile.
            pending.remove(correlationId, reply);
            reply.completeExceptionally(closed ? closedException() : e);
            written.completeExceptionally(closed ? closedException() : e);
        }
        // close() sets the flag before failing what is pending, so a send racing it is failed here or there.
        if (closed && pending.remove(correlationId, reply)) {
            reply.completeExceptionally(closedException());
        }
        return reply;
    }

    private void timedOut(String correlationId, CompletableFuture<LedgerReply> reply, LedgerCommand command) {
        if (pending.remove(correlationId, reply)) {
            completeExceptionally(reply, new LedgerTimeoutException(LedgerMessageTypes.of(command.getClass()).name(),
                    command.commandId(), command.ledgerId(), settings.replyTimeout()));
        }
    }

    private void pollReplies() {
        try {
            while (!closed) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                        handleReply(record);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    if (closed) {
                        break;
                    }
                    log.warn("Reading ledger replies failed; retrying in 1 s", e);
                    pauseAfterError();
                }
            }
        } finally {
            closeQuietly(() -> consumer.close(CLOSE_TIMEOUT));
        }
    }

    private void handleReply(ConsumerRecord<String, byte[]> record) {
        String correlationId = LedgerRecords.correlationId(record.headers());
        // Most replies are for other instances (or for futures that already timed out): skip them unread.
        CompletableFuture<LedgerReply> reply = correlationId == null ? null : pending.get(correlationId);
        if (reply == null) {
            return;
        }
        LedgerReply decoded;
        try {
            decoded = LedgerRecords.reply(record);
        } catch (RuntimeException e) {
            log.warn("Ignoring an unreadable ledger reply at {}-{}@{} (correlation id {}): {}", record.topic(),
                    record.partition(), record.offset(), correlationId, e.toString());
            return;
        }
        if (pending.remove(correlationId, reply)) {
            complete(reply, decoded);
        }
    }

    private void complete(CompletableFuture<LedgerReply> reply, LedgerReply value) {
        try {
            completions.execute(() -> reply.complete(value));
        } catch (RejectedExecutionException e) {
            reply.complete(value);
        }
    }

    private void completeExceptionally(CompletableFuture<LedgerReply> reply, Throwable error) {
        try {
            completions.execute(() -> reply.completeExceptionally(error));
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(error);
        }
    }

    private void pauseAfterError() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many sends are awaiting their reply. */
    int pendingCount() {
        return pending.size();
    }

    /**
     * Stops reading replies, flushes what the producer still holds (waiting at most 5 s), and fails every future
     * still waiting with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        consumer.wakeup();
        try {
            poller.join(CLOSE_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(() -> producer.close(CLOSE_TIMEOUT));
        for (String correlationId : List.copyOf(pending.keySet())) {
            CompletableFuture<LedgerReply> reply = pending.remove(correlationId);
            if (reply != null) {
                reply.completeExceptionally(closedException());
            }
        }
        timeouts.shutdownNow();
        // Replies already handed over still complete; nothing new is accepted.
        completions.shutdown();
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("LedgerClient is closed; no reply will come");
    }

    private static void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.debug("Error while closing a Kafka client", e);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

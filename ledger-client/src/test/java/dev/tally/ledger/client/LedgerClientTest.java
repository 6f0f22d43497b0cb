package dev.tally.ledger.client;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.envelope.Envelope;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against Kafka's mock producer and consumer: wire format, matching, timeouts, errors, close. */
class LedgerClientTest {

    private static final String REPLIES = Topics.LEDGER_REPLIES.name();
    private static final int PARTITIONS = 2;

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final PollingMockConsumer consumer = new PollingMockConsumer();
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private LedgerClient client;

    /** MockConsumer.poll never waits; this one naps when empty so the client's poller does not spin. */
    static final class PollingMockConsumer extends MockConsumer<String, byte[]> {
        PollingMockConsumer() {
            super("latest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    private LedgerClient client(Duration replyTimeout) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : List.of(REPLIES, Topics.LEDGER_COMMANDS.name())) {
            List<PartitionInfo> partitions = new java.util.ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
                ends.put(new TopicPartition(topic, p), 0L);
            }
            consumer.updatePartitions(topic, partitions);
        }
        consumer.updateEndOffsets(ends);
        client = new LedgerClient(new LedgerClientSettings("unused:9092", "tally/unit-test", replyTimeout), producer,
                consumer);
        return client;
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private static PurchaseCreditsCommand purchase(String ledgerId) {
        return new PurchaseCreditsCommand(UUID.randomUUID().toString(), ledgerId, "org-pool", 100, "test", "ref");
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private String correlationOf(int sent) {
        return header(producer.history().get(sent).headers(), "kafka_correlationId");
    }

    private void reply(String correlationId, String ceType, byte[] value) {
        Headers headers = new RecordHeaders();
        new Envelope(UUID.randomUUID().toString(), ceType, "tally/ledger-service", Instant.now(), "org-x")
                .toHeaders().forEach(headers::add);
        if (correlationId != null) {
            headers.add("kafka_correlationId", correlationId.getBytes(StandardCharsets.UTF_8));
        }
        int partition = Math.floorMod(correlationId == null ? 0 : correlationId.hashCode(), PARTITIONS);
        long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
        consumer.addRecord(new ConsumerRecord<>(REPLIES, partition, offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                "org-x", value, headers, Optional.empty()));
    }

    private void reply(String correlationId, LedgerReply reply) {
        String type = reply instanceof CommandAcceptedReply ? "CommandAccepted" : "CommandRejected";
        reply(correlationId, "tally.ledger." + type + ".v1", TallyJson.write(reply));
    }

    @Test
    void sends_the_command_keyed_by_ledger_with_cloud_event_reply_topic_and_correlation_headers() {
        client(Duration.ofSeconds(30)).send(purchase("org-a"));

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("tally.ledger.commands");
        assertThat(sent.key()).isEqualTo("org-a");
        PurchaseCreditsCommand read = TallyJson.read(sent.value(), PurchaseCreditsCommand.class);
        assertThat(read.ledgerId()).isEqualTo("org-a");
        Headers headers = sent.headers();
        assertThat(header(headers, CloudEventHeaders.TYPE)).isEqualTo("tally.ledger.PurchaseCredits.v1");
        assertThat(header(headers, CloudEventHeaders.SOURCE)).isEqualTo("tally/unit-test");
        assertThat(header(headers, CloudEventHeaders.ID)).isEqualTo(read.commandId());
        assertThat(header(headers, CloudEventHeaders.SUBJECT)).isEqualTo("org-a");
        assertThat(header(headers, "kafka_replyTopic")).isEqualTo("tally.ledger.replies");
        assertThat(UUID.fromString(header(headers, "kafka_correlationId"))).isNotNull();
    }

    @Test
    void each_reply_completes_the_future_with_its_correlation_id() throws Exception {
        client(Duration.ofSeconds(30));
        CompletableFuture<LedgerReply> first = client.send(purchase("org-a"));
        CompletableFuture<LedgerReply> second = client.send(purchase("org-b"));
        assertThat(correlationOf(0)).isNotEqualTo(correlationOf(1));

        CommandRejectedReply rejected = new CommandRejectedReply("c2", "org-b", RejectionReason.UNKNOWN_LEDGER,
                "no ledger org-b", null);
        reply(correlationOf(1), rejected);
        CommandAcceptedReply accepted = new CommandAcceptedReply("c1", "org-a", "CreditsPurchased", 100);
        reply(correlationOf(0), accepted);

        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(rejected);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(accepted);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void replies_for_unknown_correlation_ids_without_one_or_unreadable_complete_nothing() throws Exception {
        client(Duration.ofSeconds(30));
        CompletableFuture<LedgerReply> future = client.send(purchase("org-a"));
        String correlation = correlationOf(0);

        reply(UUID.randomUUID().toString(), new CommandAcceptedReply("other", "org-z", "CreditsPurchased", 1));
        reply(null, new CommandAcceptedReply("none", "org-z", "CreditsPurchased", 1));
        reply(correlation, "tally.ledger.CommandAccepted.v1", "{not json".getBytes(StandardCharsets.UTF_8));
        reply(correlation, "tally.ledger.Nonsense.v1", "{}".getBytes(StandardCharsets.UTF_8));
        reply(correlation, "tally.ledger.PurchaseCredits.v1", TallyJson.write(purchase("org-a")));
        // The readable reply behind them proves the poller survived them and that they completed nothing.
        CommandAcceptedReply accepted = new CommandAcceptedReply("c1", "org-a", "CreditsPurchased", 100);
        reply(correlation, accepted);

        assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo(accepted);
    }

    @Test
    void a_future_without_reply_fails_with_a_timeout_and_is_forgotten() {
        client(Duration.ofMillis(200));
        PurchaseCreditsCommand command = purchase("org-a");
        CompletableFuture<LedgerReply> future = client.send(command);

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(LedgerTimeoutException.class, e -> {
                    assertThat(e.commandId()).isEqualTo(command.commandId());
                    assertThat(e.ledgerId()).isEqualTo("org-a");
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200));
                    assertThat(e).hasMessageContaining("PurchaseCredits");
                });
        assertThat(client.pendingCount()).isZero();

        // A late reply is for nobody now.
        reply(correlationOf(0), new CommandAcceptedReply(command.commandId(), "org-a", "CreditsPurchased", 100));
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void a_producer_error_fails_the_future_with_that_error() {
        MockProducer<String, byte[]> manual = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        client = new LedgerClient(new LedgerClientSettings("unused:9092", "tally/unit-test", Duration.ofSeconds(30)),
                manual, preparedConsumer());
        CompletableFuture<LedgerReply> future = client.send(purchase("org-a"));
        RuntimeException error = new org.apache.kafka.common.errors.NotEnoughReplicasException("down");
        manual.errorNext(error);

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause().isSameAs(error);
        assertThat(client.pendingCount()).isZero();
    }

    private PollingMockConsumer preparedConsumer() {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : List.of(REPLIES, Topics.LEDGER_COMMANDS.name())) {
            consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0], new Node[0])));
            ends.put(new TopicPartition(topic, 0), 0L);
        }
        consumer.updateEndOffsets(ends);
        return consumer;
    }

    @Test
    void a_cancelled_future_is_forgotten() {
        client(Duration.ofSeconds(30));
        client.send(purchase("org-a")).cancel(false);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void close_fails_every_pending_future_and_later_sends() {
        client(Duration.ofSeconds(30));
        CompletableFuture<LedgerReply> first = client.send(purchase("org-a"));
        CompletableFuture<LedgerReply> second = client.send(purchase("org-b"));

        client.close();

        for (CompletableFuture<LedgerReply> future : List.of(first, second)) {
            assertThat(future).isCompletedExceptionally();
            assertThatThrownBy(future::join).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(client.pendingCount()).isZero();
        assertThat(producer.closed()).isTrue();
        assertThat(client.send(purchase("org-c"))).isCompletedExceptionally();
        client.close(); // idempotent
    }

    @Test
    void settings_are_checked() {
        assertThatThrownBy(() -> new LedgerClientSettings(" ", "s", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerClientSettings("k:9092", "", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerClientSettings("k:9092", "s", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.tally.notification;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.topic.Topics;
import dev.tally.notification.alert.AlertListeners;
import dev.tally.notification.delivery.DeadLetters;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.LoopbackReceiver.Received;
import dev.tally.notification.support.NotificationTestBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retries until the receiver takes it, dead letters when it never does, and nothing twice however often replayed. */
class RetryDeadLetterReplayIT extends NotificationTestBase {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void a_receiver_that_fails_three_times_then_succeeds_gets_exactly_one_delivery() {
        String org = newOrgId();
        String path = "/flaky/" + UUID.randomUUID();
        RECEIVER.failTimes(path, 3, 503);
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "flaky", "kind", "WEBHOOK", "url", RECEIVER.url(path),
                "signing_secret", "whsec_flaky-receiver-secret"));

        publishAlert(alert(org, "alr-flaky-" + UUID.randomUUID(), AlertSeverity.WARNING));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(RECEIVER.at(path))
                .extracting(Received::status).containsExactly(503, 503, 503, 200));
        JsonNode delivery = awaitDelivery(admin, "DELIVERED");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.path("last_error").isNull() || delivery.path("last_error").isMissingNode()).isTrue();
        // One delivery id across the attempts, so a receiver can de-duplicate; each attempt freshly signed.
        assertThat(RECEIVER.at(path).stream().map(r -> r.header("X-Tally-Delivery-Id")).distinct())
                .containsExactly(delivery.path("id").asString());
        assertThat(RECEIVER.at(path).stream().map(r -> TallyJson.mapper().readTree(r.body()).path("attempt").asInt()))
                .containsExactly(1, 2, 3, 4);
        // Nothing more arrives after the success.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(4));
    }

    @Test
    void a_receiver_that_always_fails_ends_in_the_dead_letter_topic_with_the_reason() {
        String org = newOrgId();
        String path = "/down/" + UUID.randomUUID();
        RECEIVER.alwaysFail(path, 500);
        Api admin = orgAdmin(org);
        JsonNode channel = createChannel(admin, Map.of("name", "down", "kind", "SLACK",
                "webhook_url", RECEIVER.url(path)));
        Alert alert = alert(org, "alr-down-" + UUID.randomUUID(), AlertSeverity.WARNING);

        publishAlert(alert);

        JsonNode delivery = awaitDelivery(admin, "DEAD");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.path("last_error").asString()).contains("gave up after 4 attempts", "HTTP 500");
        assertThat(RECEIVER.at(path)).hasSize(4);
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(delivery.path("id").asString());
        assertThat(dead.key()).isEqualTo(org);
        assertThat(TallyJson.read(dead.value(), Alert.class)).isEqualTo(alert);
        assertThat(header(dead, DeadLetters.REASON)).contains("gave up after 4 attempts", "HTTP 500");
        assertThat(header(dead, DeadLetters.CHANNEL_ID)).isEqualTo(channel.path("id").asString());
        assertThat(header(dead, DeadLetters.CHANNEL_KIND)).isEqualTo("SLACK");
        assertThat(header(dead, DeadLetters.ATTEMPTS)).isEqualTo("4");
        assertThat(header(dead, "ce_type")).isEqualTo("tally.alert.Alert.v1");
        // The reason never shows the webhook URL's secret path.
        assertThat(header(dead, DeadLetters.REASON)).doesNotContain(path);
    }

    @Test
    void a_receiver_that_answers_404_is_dead_at_once_since_retrying_cannot_help() {
        String org = newOrgId();
        String path = "/gone/" + UUID.randomUUID();
        RECEIVER.alwaysFail(path, 404);
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "gone", "kind", "TEAMS", "webhook_url", RECEIVER.url(path)));

        publishAlert(alert(org, "alr-gone-" + UUID.randomUUID(), AlertSeverity.INFO));

        JsonNode delivery = awaitDelivery(admin, "DEAD");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.path("last_error").asString()).startsWith("permanent failure: HTTP 404");
        assertThat(awaitDeadLetter(delivery.path("id").asString())).isNotNull();
    }

    @Test
    void replaying_the_streams_from_zero_and_duplicated_events_send_nothing_twice() throws Exception {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        String path = "/replay/" + tag;
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "replay", "kind", "WEBHOOK", "url", RECEIVER.url(path),
                "signing_secret", "whsec_replay-receiver-secret"));
        LocalDate window = LocalDate.now().withDayOfMonth(1);
        Scope scope = new Scope(ScopeLevel.GROUP, "grp-" + tag);
        for (int percent : List.of(50, 75, 90)) {
            // The ledger may publish an event twice (a retried command): each twice here, with other command ids.
            for (int copy = 0; copy < 2; copy++) {
                publishLedgerEvent(new BudgetThresholdCrossedEvent(org, "cmd-" + percent + "-" + copy, Instant.now(),
                        "bgt-" + tag, scope, BudgetPeriod.MONTHLY, window, percent, percent * 100L, 10_000));
            }
        }
        publishLedgerEvent(new BudgetExhaustedEvent(org, "cmd-x", Instant.now(), "bgt-" + tag, scope,
                BudgetPeriod.MONTHLY, window, 10_000, 10_000, false));
        Alert published = alert(org, "alr-replay-" + tag, AlertSeverity.INFO);
        publishAlert(published);
        publishAlert(published);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(5));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(5));

        replayFromZero(AlertListeners.LEDGER_LISTENER, Topics.LEDGER_EVENTS.name());
        replayFromZero(AlertListeners.ALERTS_LISTENER, Topics.ALERTS.name());
        // Give the worker several polls to send whatever the replay might have created.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(RECEIVER.at(path)).hasSize(5));

        List<String> kinds = RECEIVER.at(path).stream()
                .map(r -> TallyJson.mapper().readTree(r.body()).path("alert"))
                .map(a -> a.path("kind").asString() + ":" + a.path("title").asString()).sorted().toList();
        assertThat(kinds).containsExactly(
                "BUDGET_EXHAUSTED:Budget bgt-" + tag + " exhausted",
                "BUDGET_THRESHOLD:Budget bgt-" + tag + " at 50 %",
                "BUDGET_THRESHOLD:Budget bgt-" + tag + " at 75 %",
                "BUDGET_THRESHOLD:Budget bgt-" + tag + " at 90 %",
                "TEST:Replayed alert");
        assertThat(admin.get("/alerts")).hasSize(5);
        assertThat(admin.get("/deliveries")).hasSize(5);
    }

    /** Stops the listener, sets its group back to offset 0 on every partition, starts it and waits until it caught up. */
    private void replayFromZero(String listenerId, String topic) throws Exception {
        MessageListenerContainer container = listeners.getListenerContainer(listenerId);
        container.stop();
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers()))) {
            List<TopicPartition> partitions = kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.describeConsumerGroups(List.of(listenerId))
                    .all().get().get(listenerId).members().isEmpty());
            kafka.alterConsumerGroupOffsets(listenerId, partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)))).all().get();
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            kafka.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().forEach((p, info) -> end.put(p, info.offset()));
            assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isPositive();
            container.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(listenerId)
                        .partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            });
        }
    }

    private static Alert alert(String org, String id, AlertSeverity severity) {
        String title = id.startsWith("alr-replay") ? "Replayed alert" : "Alert " + id;
        // PostgreSQL keeps microseconds; the dead letter carries the alert as stored.
        return new Alert(id, org, AlertKind.TEST, severity, title, "Something to hear about.", null, null, null, null,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    private static JsonNode awaitDelivery(Api admin, String status) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode deliveries = admin.get("/deliveries");
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).path("status").asString()).isEqualTo(status);
            found.add(deliveries.get(0));
        });
        return found.get(found.size() - 1);
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String deliveryId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS_DEAD_LETTER.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (deliveryId.equals(header(r, DeadLetters.DELIVERY_ID))) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

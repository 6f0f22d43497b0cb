package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kafka delivers at least once and the ledger re-sends with the same ce_id: every duplicate must count once. */
class DuplicatesAndDeadLettersIT extends AnalyticsTestBase {

    @Test
    void a_ledger_event_delivered_twice_with_the_same_event_id_counts_once() {
        Fixtures f = new Fixtures("dup");
        TestEvents events = events();
        Api admin = as(adminKey(f.org, AdminRole.ORG_ADMIN));
        Instant now = Instant.now();
        var purchase = f.purchase(1_000, now.minusSeconds(600));
        String purchaseId = events.ledger(purchase);
        events.ledger(purchaseId, purchase);
        events.ledger(f.budget("b-dup", ScopeLevel.ORG, f.org, dev.tally.events.ledger.BudgetPeriod.MONTHLY, 10_000));
        var usage = f.usage("r-dup", 300, now.minusSeconds(300), new Scope(ScopeLevel.ORG, f.org));
        String usageId = events.ledger(usage);
        events.ledger(usageId, usage);
        events.ledger(usageId, usage);
        // Same key, same partition: once this one is visible, the duplicates before it have been processed.
        events.ledger(f.purchase(1, now.minusSeconds(60)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.json("/orgs/" + f.org + "/overview").path("balance_credits").asLong())
                        .isEqualTo(1_000 - 300 + 1));
        var budget = admin.json("/orgs/" + f.org + "/budgets").path("items").get(0);
        assertThat(budget.path("spent_credits").asLong()).isEqualTo(300);
    }

    @Test
    void a_gateway_request_delivered_twice_counts_once() {
        Fixtures f = new Fixtures("dupreq");
        TestEvents events = events();
        Api admin = as(adminKey(f.org, AdminRole.ORG_ADMIN));
        GatewayRequestRecord request = f.request("bot", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 40,
                Instant.now().minusSeconds(120));
        events.request(request);
        events.request(request);
        events.request(f.request("bot", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 2,
                Instant.now().minusSeconds(60)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.json("/orgs/" + f.org + "/usage").path("total").asLong()).isEqualTo(2));
        assertThat(admin.json("/orgs/" + f.org + "/burn-rate").path("credits_last_24h").asLong()).isEqualTo(42);
    }

    @Test
    void an_unreadable_record_goes_to_the_dead_letter_topic_and_the_projection_carries_on() {
        Fixtures f = new Fixtures("dlt");
        TestEvents events = events();
        Api admin = as(adminKey(f.org, AdminRole.ORG_ADMIN));
        events.raw(Topics.LEDGER_EVENTS.name(), f.org, "{\"nonsense\":true}".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.ID, UUID.randomUUID().toString(),
                        CloudEventHeaders.TYPE, "tally.ledger.NoSuchEvent.v1",
                        CloudEventHeaders.SOURCE, "test", CloudEventHeaders.TIME, Instant.now().toString()));
        events.ledger(f.purchase(77, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.json("/orgs/" + f.org + "/overview").path("balance_credits").asLong())
                        .isEqualTo(77));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LEDGER_EVENTS.deadLetterName()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (f.org.equals(record.key())) {
                        var reason = record.headers().lastHeader("kafka_dlt-exception-message");
                        return reason != null && new String(reason.value(), StandardCharsets.UTF_8)
                                .contains("unknown message type tally.ledger.NoSuchEvent.v1");
                    }
                }
                return false;
            });
        }
    }
}

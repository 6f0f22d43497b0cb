package dev.tally.gateway.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the ledger and the request topic say about an organisation's requests, as a BI consumer would read them. */
public final class LedgerReads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GatewayStack stack;

    public LedgerReads(GatewayStack stack) {
        this.stack = stack;
    }

    /** The request's charge as the ledger stored it: its LeaseCharged, or the UsageRecorded of its own hold. */
    public JsonNode charge(String orgId, String requestId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (JsonNode event : events(orgId)) {
                JsonNode data = event.path("data");
                String type = event.path("type").asString();
                if ((type.contains("LeaseCharged") && requestId.equals(data.path("request_id").asString()))
                        || (type.contains("UsageRecorded")
                                && requestId.equals(data.path("reservation_id").asString()))) {
                    found.set(data);
                }
            }
            assertThat(found.get()).as("the ledger's charge of request %s", requestId).isNotNull();
        });
        return found.get();
    }

    /** Every event of the organisation's ledger, oldest first. */
    public List<JsonNode> events(String orgId) throws Exception {
        String lines = HttpClient.newHttpClient().send(stack.ledgerRequest(
                "/ledgers/" + orgId + "/events?limit=10000").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    /** Reservations (and leases) the ledger still holds open for the organisation. */
    public long openReservations(String orgId) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient().send(stack.ledgerRequest(
                "/ledgers/" + orgId).build(), HttpResponse.BodyHandlers.ofString())
                .body()).path("reservations").size();
    }

    /** Waits until the organisation's request records on tally.gateway.requests include one that matches. */
    public List<JsonNode> requestRecords(String orgId, Predicate<List<JsonNode>> enough) {
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra.kafkaBootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("tally.gateway.requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (orgId.equals(record.key())) {
                        values.add(JSON.readTree(record.value()));
                    }
                }
                return enough.test(values);
            });
        }
        return values;
    }
}

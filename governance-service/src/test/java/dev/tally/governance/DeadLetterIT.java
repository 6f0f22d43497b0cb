package dev.tally.governance;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.topic.Topics;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.testsupport.TopicContents;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ledger event governance cannot process lands in {@code tally.ledger.events.DLT}, the topic the docs name and the
 * replay command feeds back. spring-kafka 4's default resolver wrote it to {@code tally.ledger.events-dlt}, in the
 * source partition, where nobody looked.
 */
class DeadLetterIT extends GovernanceTestBase {

    @Test
    void an_unreadable_budget_exhausted_event_goes_to_the_ledger_events_dlt_with_the_reason() throws Exception {
        String org = "org-dlt-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), org,
                "{not json".getBytes(StandardCharsets.UTF_8));
        Map.of(CloudEventHeaders.ID, UUID.randomUUID().toString(),
                CloudEventHeaders.TYPE, LedgerMessageTypes.of(BudgetExhaustedEvent.class).ceType(),
                CloudEventHeaders.SOURCE, "test", CloudEventHeaders.TIME, Instant.now().toString())
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                TopicContents.withKey(INFRA.kafkaBootstrapServers(), Topics.LEDGER_EVENTS.deadLetterName(), org))
                .singleElement()
                .satisfies(dead -> assertThat(new String(dead.headers().lastHeader("kafka_dlt-original-topic").value(),
                        StandardCharsets.UTF_8)).isEqualTo(Topics.LEDGER_EVENTS.name())));
    }
}

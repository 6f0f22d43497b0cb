package dev.tally.gateway.report;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.MemberKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression: with the broker down, KafkaProducer.send blocks up to max.block.ms (60 s) waiting for metadata, and
 * record() ran it on the request's thread, so during a Kafka outage every answer (the 503s included) waited for the
 * broker to come back (found by the end-to-end test KafkaRestartIT).
 */
class RequestRecorderTest {

    @Test
    void record_returns_at_once_while_kafka_send_blocks_and_sends_once_kafka_is_back() throws Exception {
        CountDownLatch brokerBack = new CountDownLatch(1);
        List<String> sent = new CopyOnWriteArrayList<>();
        KafkaTemplate<String, byte[]> blocking = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())) {
            @Override
            public CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
                try {
                    // As KafkaProducer.send waiting for the metadata of an unreachable broker (bounded, so a regression fails).
                    brokerBack.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sent.add(record.key());
                return CompletableFuture.completedFuture(null);
            }
        };
        RequestRecorder recorder = new RequestRecorder(blocking, new RequestMetrics(new SimpleMeterRegistry()), 3);

        long begin = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            recorder.record(record("org-" + i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("ten records while Kafka is down")
                .isLessThan(Duration.ofSeconds(1));

        brokerBack.countDown();
        // One in the sender's hands and three queued; the rest were dropped rather than holding up their requests.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(sent).containsExactly("org-0", "org-1", "org-2", "org-3"));
        recorder.close();
    }

    @Test
    void a_send_that_throws_is_logged_not_propagated() throws Exception {
        KafkaTemplate<String, byte[]> failing = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())) {
            @Override
            public CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
                throw new org.apache.kafka.common.errors.TimeoutException("metadata not available after 60000 ms");
            }
        };
        RequestRecorder recorder = new RequestRecorder(failing, new RequestMetrics(new SimpleMeterRegistry()), 3);
        recorder.record(record("org"));
        recorder.close();
        assertThat(recorder).isNotNull();
    }

    private static GatewayRequestRecord record(String orgId) {
        return new GatewayRequestRecord("req-" + orgId, orgId, "member", MemberKind.AGENT, "key", null, "mock-model",
                "mock-model", "mock", false, false, "NORMAL", RequestOutcome.SUCCESS, 200, null, null, 5, 7, 1, 1, 3,
                2, Instant.now());
    }
}

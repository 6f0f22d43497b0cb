package dev.tally.governance.key;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.json.TallyJson;
import dev.tally.governance.auth.KeyUsage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns when gateway keys were used at the gateway from its request records (one per authenticated request), so
 * the gateway's hot path writes nothing for it. A poll's records are reduced to the latest use per key first, and
 * {@link KeyUsage} writes those due (at most once a minute per key) in one statement. The group starts from the oldest record still kept, so a
 * new deployment learns the last uses of the retention period once.
 */
@Component
public class GatewayKeyUsageListener {

    private final KeyUsage usage;

    public GatewayKeyUsageListener(KeyUsage usage) {
        this.usage = usage;
    }

    // Every gateway request adds a record, and a minute's resolution needs no hurry: fetch in batches.
    @KafkaListener(topics = "tally.gateway.requests", groupId = "governance-key-usage", batch = "true",
            properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=500"})
    void onRequests(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Instant> latest = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                GatewayRequestRecord request = TallyJson.read(records.get(i).value(), GatewayRequestRecord.class);
                if (request.keyId() != null && request.occurredAt() != null) {
                    latest.merge(request.keyId(), request.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
                }
            } catch (RuntimeException e) {
                // The error handler commits the records before it, retries this one and then dead-letters it.
                throw new BatchListenerFailedException(String.valueOf(e.getMessage()), e, i);
            }
        }
        usage.gatewayKeysUsed(latest).block();
    }
}

package dev.tally.analytics.anomaly;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.envelope.Envelope;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An alert when an agent spends far outside its pattern, as the replaced products promised. Every few minutes, the
 * orgs with requests in the last day are scanned with {@link AnomalyFinder} and each finding is published on
 * tally.alerts for notification-service. The alert id is the member and the UTC day, so repeated scans (and several
 * analytics replicas) make one message a day per member: notification-service de-duplicates by alert id.
 */
@Component
public class AnomalyAlerts {

    static final int BASELINE_DAYS = 14;
    private static final Logger log = LoggerFactory.getLogger(AnomalyAlerts.class);

    private final AnomalyFinder finder;
    private final DatabaseClient db;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Clock clock;

    public AnomalyAlerts(AnomalyFinder finder, DatabaseClient db, KafkaTemplate<String, byte[]> kafka, Clock clock) {
        this.finder = finder;
        this.db = db;
        this.kafka = kafka;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${tally.analytics.anomaly-scan-delay:60s}",
            fixedDelayString = "${tally.analytics.anomaly-scan-interval:5m}")
    void scheduledScan() {
        scan().doOnError(e -> log.warn("anomaly scan failed: {}", e.toString())).onErrorResume(e -> Mono.empty())
                .block();
    }

    /** Scans every org active in the last day; emits how many alerts were published (and acknowledged by Kafka). */
    public Mono<Long> scan() {
        Instant now = clock.instant();
        return db.sql("select distinct org_id from request where occurred_at > :since")
                .bind("since", now.minusSeconds(86_400).atOffset(ZoneOffset.UTC))
                .map(row -> row.get("org_id", String.class)).all()
                .concatMap(org -> finder.find(org, BASELINE_DAYS, null, now).flatMapMany(Flux::fromIterable)
                        .concatMap(anomaly -> publish(alert(org, anomaly, now))))
                .count();
    }

    static Alert alert(String orgId, Anomaly anomaly, Instant now) {
        String who = anomaly.name() != null ? anomaly.name() : anomaly.memberId();
        String ratio = anomaly.ratio() == null ? "" : String.format(" (%.1f× its usual daily spend of %.0f)",
                anomaly.ratio(), anomaly.baselineDailyMean());
        return new Alert("anomaly:" + anomaly.memberId() + ":" + LocalDate.ofInstant(now, ZoneOffset.UTC), orgId,
                AlertKind.ANOMALY, AlertSeverity.WARNING, "Unusual spend: " + who,
                who + " spent " + anomaly.creditsLast24h() + " credits in the last 24 hours" + ratio
                        + ". See GET /orgs/" + orgId + "/anomalies on analytics-service.",
                null, null, anomaly.memberId(), null, now);
    }

    private Mono<Void> publish(Alert alert) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ALERTS.name(), alert.orgId(),
                TallyJson.write(alert));
        new Envelope(UUID.randomUUID().toString(), AlertMessageTypes.ALERT.ceType(), "tally/analytics",
                alert.occurredAt(), alert.orgId()).toHeaders().forEach(record.headers()::add);
        return Mono.fromFuture(() -> kafka.send(record)).then();
    }
}

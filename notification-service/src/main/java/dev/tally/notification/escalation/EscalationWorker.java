package dev.tally.notification.escalation;

import dev.tally.events.alert.Alert;
import dev.tally.notification.NotificationSettings;
import dev.tally.notification.alert.AlertStore;
import dev.tally.notification.alert.StoredAlert;
import dev.tally.notification.channel.Channel;
import dev.tally.notification.channel.ChannelStore;
import dev.tally.notification.delivery.DeliveryPlanner;
import dev.tally.notification.delivery.DeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * A CRITICAL alert nobody acknowledged within the escalation delay goes to the channels of the next escalation level,
 * and so on up the levels; acknowledging it stops the climb.
 */
@Component
public class EscalationWorker {

    private static final Logger log = LoggerFactory.getLogger(EscalationWorker.class);

    private final AlertStore alerts;
    private final ChannelStore channels;
    private final DeliveryStore deliveries;
    private final TransactionalOperator tx;
    private final NotificationSettings settings;
    private final Clock clock;

    public EscalationWorker(AlertStore alerts, ChannelStore channels, DeliveryStore deliveries,
            TransactionalOperator tx, NotificationSettings settings, Clock clock) {
        this.alerts = alerts;
        this.channels = channels;
        this.deliveries = deliveries;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${tally.notification.poll-interval}")
    public void escalateDue() {
        try {
            Instant now = clock.instant();
            alerts.dueEscalations(now, settings.batchSize())
                    .concatMap(stored -> escalate(stored, now).onErrorResume(e -> {
                        log.warn("escalation of {} failed; retrying at the next poll", stored.alert().alertId(), e);
                        return Mono.empty();
                    }))
                    .blockLast();
        } catch (RuntimeException e) {
            log.warn("escalation poll failed", e);
        }
    }

    private Mono<Void> escalate(StoredAlert stored, Instant now) {
        Alert alert = stored.alert();
        return tx.transactional(alerts.claimEscalation(alert.alertId(), stored.nextEscalationAt()).flatMap(claimed -> {
            if (!claimed || stored.acknowledged()) {
                return Mono.empty();
            }
            int current = stored.escalationLevel() == null ? 0 : stored.escalationLevel();
            return channels.ofOrg(alert.orgId()).collectList().flatMap(all -> {
                OptionalInt next = EscalationLevels.after(alert, all, current);
                if (next.isEmpty()) {
                    return Mono.empty();
                }
                int level = next.getAsInt();
                List<Channel> targets = EscalationLevels.at(alert, all, level);
                Instant further = EscalationLevels.after(alert, all, level).isPresent()
                        ? now.plus(settings.escalationDelay()) : null;
                log.info("escalating unacknowledged {} to level {} ({} channels)", alert.alertId(), level,
                        targets.size());
                return Flux.fromIterable(targets)
                        .concatMap(c -> deliveries.insert(DeliveryPlanner.plan(alert, c, level, now)))
                        .then(alerts.escalation(alert.alertId(), level, further));
            });
        }));
    }
}

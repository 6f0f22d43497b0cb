package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.notification.NotificationSettings;
import dev.tally.notification.channel.Channel;
import dev.tally.notification.channel.ChannelStore;
import dev.tally.notification.delivery.DeliveryPlanner;
import dev.tally.notification.delivery.DeliveryStore;
import dev.tally.notification.escalation.EscalationLevels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * Every alert, whatever its source, enters here: recorded under its id (a known id stops here: de-duplication), then
 * one delivery per channel of the first escalation level that receives it, in the same transaction, so an alert
 * that was recorded is never left without its deliveries.
 */
@Component
public class AlertIntake {

    private static final Logger log = LoggerFactory.getLogger(AlertIntake.class);

    private final AlertStore alerts;
    private final ChannelStore channels;
    private final DeliveryStore deliveries;
    private final TransactionalOperator tx;
    private final NotificationSettings settings;
    private final Clock clock;

    public AlertIntake(AlertStore alerts, ChannelStore channels, DeliveryStore deliveries, TransactionalOperator tx,
            NotificationSettings settings, Clock clock) {
        this.alerts = alerts;
        this.channels = channels;
        this.deliveries = deliveries;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    /** True when the alert was new. */
    public Mono<Boolean> accept(Alert alert, String source) {
        validate(alert);
        Instant now = clock.instant();
        return tx.transactional(alerts.insertIfNew(alert, source, now).flatMap(isNew -> {
            if (!isNew) {
                log.debug("alert {} seen before; nothing to send", alert.alertId());
                return Mono.just(false);
            }
            if (alert.occurredAt().isBefore(now.minus(settings.maxAlertAge()))) {
                return alerts.suppress(alert.alertId(), "older than " + settings.maxAlertAge() + " on arrival")
                        .thenReturn(true);
            }
            return channels.ofOrg(alert.orgId()).collectList()
                    .flatMap(all -> route(alert, all, now)).thenReturn(true);
        }));
    }

    private Mono<Void> route(Alert alert, List<Channel> all, Instant now) {
        OptionalInt first = EscalationLevels.first(alert, all);
        if (first.isEmpty()) {
            return alerts.suppress(alert.alertId(), "no channel of the organisation receives this alert");
        }
        int level = first.getAsInt();
        Instant next = alert.severity() == AlertSeverity.CRITICAL
                && EscalationLevels.after(alert, all, level).isPresent() ? now.plus(settings.escalationDelay()) : null;
        return Flux.fromIterable(EscalationLevels.at(alert, all, level))
                .concatMap(channel -> deliveries.insert(DeliveryPlanner.plan(alert, channel, level, now)))
                .then(alerts.escalation(alert.alertId(), level, next));
    }

    static void validate(Alert a) {
        requireText(a.alertId(), "alert_id");
        requireText(a.orgId(), "org_id");
        requireText(a.title(), "title");
        requireText(a.text(), "text");
        if (a.kind() == null || a.severity() == null || a.occurredAt() == null) {
            throw new InvalidEnvelopeException("alert " + a.alertId() + " lacks kind, severity or occurred_at");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEnvelopeException("alert without " + field);
        }
    }
}

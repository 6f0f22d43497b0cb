package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.channel.Channel;
import dev.tally.notification.support.Ids;

import java.time.Instant;
import java.util.Optional;

/** Turns "this alert goes to this channel" into a delivery row: due now, or at the end of the channel's quiet hours. */
public final class DeliveryPlanner {

    private DeliveryPlanner() {
    }

    public static Delivery plan(Alert alert, Channel channel, int level, Instant now) {
        Optional<Instant> deferral = deferral(alert, channel, now);
        return new Delivery(Ids.newId("dlv-"), alert.alertId(), channel.id(), alert.orgId(), level,
                DeliveryStatus.PENDING, 0, deferral.orElse(now), deferral.orElse(null), null, now, now, null);
    }

    /** Critical alerts are never held back: they are what quiet hours must not hide. */
    public static Optional<Instant> deferral(Alert alert, Channel channel, Instant now) {
        if (alert.severity() == AlertSeverity.CRITICAL || channel.quietHours() == null) {
            return Optional.empty();
        }
        return channel.quietHours().deferral(now);
    }
}

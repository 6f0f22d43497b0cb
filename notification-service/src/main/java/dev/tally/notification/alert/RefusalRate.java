package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.ledger.CreditReservationRejectedEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused reservations per organisation in fixed windows of the events' own time, and makes one alert when a
 * window reaches the threshold. Event time, not arrival time: a replay counts the same windows and so finds the same
 * alert id.
 */
public class RefusalRate {

    private final int threshold;
    private final long windowMillis;
    private final Map<String, Map<Long, Integer>> counts = new ConcurrentHashMap<>();

    public RefusalRate(int threshold, Duration window) {
        this.threshold = threshold;
        this.windowMillis = window.toMillis();
    }

    public Optional<Alert> record(CreditReservationRejectedEvent e) {
        long window = Math.floorDiv(e.occurredAt().toEpochMilli(), windowMillis);
        Map<Long, Integer> org = counts.computeIfAbsent(e.ledgerId(), id -> new ConcurrentHashMap<>());
        org.keySet().removeIf(w -> w < window - 1);
        int count = org.merge(window, 1, Integer::sum);
        if (count != threshold) {
            return Optional.empty();
        }
        Instant start = Instant.ofEpochMilli(window * windowMillis);
        return Optional.of(new Alert(AlertIds.reservationsRefused(e.ledgerId(), start), e.ledgerId(),
                AlertKind.RESERVATIONS_REFUSED, AlertSeverity.WARNING,
                "Reservations refused for " + e.ledgerId(),
                count + " reservations refused within " + Duration.ofMillis(windowMillis).toMinutes()
                        + " minutes from " + start + "; the latest: " + e.reason()
                        + (e.detail() == null ? "" : " (" + e.detail() + ")") + ".",
                e.budgetId(), null, null, null, e.occurredAt()));
    }
}

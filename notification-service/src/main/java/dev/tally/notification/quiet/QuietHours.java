package dev.tally.notification.quiet;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A daily window, in a channel's own time zone, in which non-critical alerts wait: {@code 22:00–07:00} spans
 * midnight. A delivery that falls into it is deferred to the window's end; CRITICAL alerts are never held back.
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

    public QuietHours {
        if (start.equals(end)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    public boolean contains(Instant instant) {
        LocalTime time = instant.atZone(zone).toLocalTime();
        return start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    /** When a delivery due at {@code instant} may go: empty when it may go now, else the end of the window. */
    public Optional<Instant> deferral(Instant instant) {
        if (!contains(instant)) {
            return Optional.empty();
        }
        ZonedDateTime local = instant.atZone(zone);
        ZonedDateTime end = local.toLocalDate().atTime(this.end).atZone(zone);
        if (!end.isAfter(local)) {
            end = local.toLocalDate().plusDays(1).atTime(this.end).atZone(zone);
        }
        return Optional.of(end.toInstant());
    }
}

package dev.tally.analytics.web;

import dev.tally.servicekit.web.ApiException;

import java.time.Duration;
import java.time.Instant;

/** A half-open time range {@code [from, to)} of a query, from the {@code from}/{@code to} or {@code days} parameters. */
public record Window(Instant from, Instant to) {

    public static final int MAX_DAYS = 366;

    public static Window of(String from, String to, Integer days, int defaultDays, Instant now) {
        Instant end = to == null ? now : parse(to, "to");
        if (from != null && days != null) {
            throw ApiException.invalid("days", "cannot be combined with from");
        }
        Instant start;
        if (from != null) {
            start = parse(from, "from");
        } else {
            int span = days == null ? defaultDays : days;
            if (span < 1 || span > MAX_DAYS) {
                throw ApiException.invalid("days", "must be between 1 and " + MAX_DAYS);
            }
            start = end.minus(Duration.ofDays(span));
        }
        if (!start.isBefore(end)) {
            throw ApiException.invalid("from", "must be before to");
        }
        return new Window(start, end);
    }

    private static Instant parse(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw ApiException.invalid(field, "must be an ISO-8601 instant or date, e.g. 2026-01-31T00:00:00Z");
            }
        }
    }
}

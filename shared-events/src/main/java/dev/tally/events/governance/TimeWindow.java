package dev.tally.events.governance;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

/**
 * When requests are allowed (ApexAgent's time-of-day policies). {@code end} before {@code start} spans midnight.
 *
 * @param days     the days on which the window opens, in the window's time zone
 * @param timeZone an IANA zone id such as {@code Europe/Berlin}
 */
public record TimeWindow(List<DayOfWeek> days, LocalTime start, LocalTime end, String timeZone) {
}

package dev.tally.ledger.eventstore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;

/**
 * Reads a ledger's events straight from the event store for the command path (the balances projection folding what
 * its checkpoint lacks), on the command path's pool. HTTP readers use {@link EventPages} instead.
 */
@Repository
public class EventStoreReader {

    private final JdbcTemplate jdbc;

    public EventStoreReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The events with sequence numbers from {@code from} (inclusive) to {@code to} (exclusive), in order. */
    public List<StoredEvent> events(String ledgerId, long from, long to) {
        return jdbc.query("""
                SELECT event_identifier, sequence_number, payload_type, payload_revision, time_stamp, payload
                FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number >= ?
                    AND sequence_number < ? ORDER BY sequence_number""",
                (rs, row) -> new StoredEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Instant.parse(rs.getString(5)), rs.getBytes(6)), ledgerId, from, to);
    }
}

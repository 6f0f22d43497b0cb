package dev.tally.ledger.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.stream.Stream;

/** Reads a ledger's events straight from the event store, from the first one, ignoring snapshots. */
@Repository
class EventStoreReader {

    private final JdbcTemplate jdbc;

    EventStoreReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The caller must close the stream. */
    Stream<StoredEvent> events(String ledgerId) {
        return jdbc.queryForStream("""
                SELECT event_identifier, sequence_number, payload_type, payload_revision, time_stamp, payload
                FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""",
                (rs, row) -> new StoredEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Instant.parse(rs.getString(5)), rs.getBytes(6)), ledgerId);
    }
}

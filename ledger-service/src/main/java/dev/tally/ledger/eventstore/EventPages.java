package dev.tally.ledger.eventstore;

import dev.tally.ledger.audit.chain.ChainLinks;
import dev.tally.ledger.readers.ReaderPool;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a ledger's events straight from the event store, ignoring snapshots, for HTTP readers: on the readers' own
 * pool ({@link ReaderPool}), a bounded page per statement, and the rows in memory before they are written out, so a
 * client that reads its answer slowly holds no connection.
 */
@Repository
public class EventPages {

    private static final RowMapper<StoredEvent> ROW = (rs, row) -> new StoredEvent(rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getString(4), Instant.parse(rs.getString(5)), rs.getBytes(6),
            ChainLinks.hashIn(rs.getBytes(7)));

    private final JdbcTemplate jdbc;

    public EventPages(ReaderPool readers) {
        this.jdbc = readers.jdbc();
    }

    /**
     * Up to {@code limit} events with a sequence number above {@code after}, oldest first, optionally only those
     * stored in {@code [from, to)} (null for no bound). The sequence is the ledger's own, from 0, without gaps.
     */
    public List<StoredEvent> page(String ledgerId, long after, int limit, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("""
                SELECT event_identifier, sequence_number, payload_type, payload_revision, time_stamp, payload, meta_data
                FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number > ?""");
        List<Object> arguments = new ArrayList<>(List.of(ledgerId, after));
        // Axon writes time_stamp as ISO-8601 text whose fraction can be 3 to 9 digits long, so it only compares
        // correctly as a timestamp, not as text.
        if (from != null) {
            sql.append(" AND CAST(time_stamp AS timestamptz) >= ?");
            arguments.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND CAST(time_stamp AS timestamptz) < ?");
            arguments.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        }
        sql.append(" ORDER BY sequence_number LIMIT ?");
        arguments.add(limit);
        return jdbc.query(sql.toString(), ROW, arguments.toArray());
    }

    /**
     * Up to {@code limit} ledger ids above {@code after} (null for the first), in order: the ledgers that have a
     * first event. A full scan of the events' table on PostgreSQL; a sweep reads every event anyway.
     */
    public List<String> ledgerIds(String after, int limit) {
        return jdbc.queryForList("""
                SELECT aggregate_identifier FROM domain_event_entry
                WHERE sequence_number = 0 AND aggregate_identifier > ? ORDER BY aggregate_identifier LIMIT ?""",
                String.class, after == null ? "" : after, limit);
    }

    public boolean exists(String ledgerId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM domain_event_entry WHERE aggregate_identifier = ?)", Boolean.class,
                ledgerId));
    }

    /** Every event from the first, in order, {@code pageSize} to a statement; returns how many there were. */
    public long forEach(String ledgerId, int pageSize, Consumer<StoredEvent> each) {
        long after = -1;
        long count = 0;
        while (true) {
            List<StoredEvent> page = page(ledgerId, after, pageSize, null, null);
            page.forEach(each);
            count += page.size();
            if (page.size() < pageSize) {
                return count;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }
}

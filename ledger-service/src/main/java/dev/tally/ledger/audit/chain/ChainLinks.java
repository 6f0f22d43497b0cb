package dev.tally.ledger.audit.chain;

import dev.tally.events.json.TallyJson;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last committed link of each recently written ledger, so appending an event costs no extra query: a link is
 * used only when it is the event just before the one being appended, and it is remembered only after its
 * transaction committed, so a rolled-back event is never chained onto. On a miss the previous event's hash is read
 * from the event store, in the appending transaction.
 */
public final class ChainLinks {

    /** Where a ledger's chain stands: the hash of its event {@code sequence}. */
    public record Link(long sequence, String hash) {
    }

    private final Map<String, Link> links;

    public ChainLinks(int capacity) {
        this.links = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Link> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The hash of the ledger's event {@code sequence - 1}: {@link EventHash#GENESIS} before the first event. */
    String previous(Connection connection, String table, String ledgerId, long sequence) throws SQLException {
        if (sequence == 0) {
            return EventHash.GENESIS;
        }
        Link link;
        synchronized (links) {
            link = links.get(ledgerId);
        }
        if (link != null && link.sequence() == sequence - 1) {
            return link.hash();
        }
        return stored(connection, table, ledgerId, sequence - 1);
    }

    void committed(String ledgerId, Link link) {
        synchronized (links) {
            Link known = links.get(ledgerId);
            if (known == null || known.sequence() < link.sequence()) {
                links.put(ledgerId, link);
            }
        }
    }

    /** Drops what this replica remembers of a ledger: its next append reads the previous hash from the store. */
    public void forget(String ledgerId) {
        synchronized (links) {
            links.remove(ledgerId);
        }
    }

    private static String stored(Connection connection, String table, String ledgerId, long sequence)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT meta_data FROM " + table
                + " WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            select.setString(1, ledgerId);
            select.setLong(2, sequence);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("ledger " + ledgerId + " has no event " + sequence
                            + " to chain its next event onto");
                }
                String hash = hashIn(row.getBytes(1));
                return hash != null ? hash : catchUp(connection, table, ledgerId, sequence);
            }
        }
    }

    /**
     * Events without a hash after the migration ran were appended by a ledger-service that predates the chain (a
     * rolling upgrade): chain them now, from the last event that has a hash, and store their hashes in this
     * transaction, so the ledger's next event can be appended and its chain stays whole.
     */
    private static String catchUp(Connection connection, String table, String ledgerId, long upTo)
            throws SQLException {
        String previous = EventHash.GENESIS;
        long from = 0;
        try (PreparedStatement last = connection.prepareStatement("SELECT sequence_number, meta_data FROM " + table
                + " WHERE aggregate_identifier = ? AND sequence_number <= ? ORDER BY sequence_number DESC")) {
            last.setString(1, ledgerId);
            last.setLong(2, upTo);
            try (ResultSet rows = last.executeQuery()) {
                while (rows.next()) {
                    String hash = hashIn(rows.getBytes(2));
                    if (hash != null) {
                        previous = hash;
                        from = rows.getLong(1) + 1;
                        break;
                    }
                }
            }
        }
        try (PreparedStatement unchained = connection.prepareStatement("SELECT sequence_number, event_identifier,"
                + " payload_type, payload_revision, payload FROM " + table + " WHERE aggregate_identifier = ?"
                + " AND sequence_number >= ? AND sequence_number <= ? ORDER BY sequence_number");
                PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET meta_data ="
                        + " convert_to((COALESCE(convert_from(meta_data, 'UTF8')::jsonb, '{}'::jsonb)"
                        + " || jsonb_build_object('" + ChainHeaders.HASH_METADATA + "', ?::text))::text, 'UTF8')"
                        + " WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            unchained.setString(1, ledgerId);
            unchained.setLong(2, from);
            unchained.setLong(3, upTo);
            try (ResultSet rows = unchained.executeQuery()) {
                while (rows.next()) {
                    long sequence = rows.getLong(1);
                    previous = EventHash.of(previous, ledgerId, sequence, rows.getString(2),
                            rows.getString(3) + ".v" + rows.getString(4), rows.getBytes(5));
                    update.setString(1, previous);
                    update.setString(2, ledgerId);
                    update.setLong(3, sequence);
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
        return previous;
    }

    /** The chain hash in an event's stored metadata (Axon's JSON map), or null. */
    public static String hashIn(byte[] metaData) {
        if (metaData == null) {
            return null;
        }
        JsonNode hash = TallyJson.mapper().readTree(metaData).get(ChainHeaders.HASH_METADATA);
        return hash == null || !hash.isString() ? null : hash.asString();
    }
}

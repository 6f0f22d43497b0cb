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
                if (hash == null) {
                    throw new IllegalStateException("ledger " + ledgerId + " event " + sequence + " has no "
                            + ChainHeaders.HASH_METADATA + "; the hash chain migration (V4) has not run");
                }
                return hash;
            }
        }
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

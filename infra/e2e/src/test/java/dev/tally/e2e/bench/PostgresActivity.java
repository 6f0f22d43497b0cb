package dev.tally.e2e.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL spends a scenario on: its commits per request in each database ({@code pg_stat_database}) and the
 * statements that took the most execution time ({@code pg_stat_statements}, which the benchmark's server preloads).
 * PostgreSQL was the largest CPU cost per request with durable commits; this says which service's statements and
 * commits it is. The server must preload the extension ({@code shared_preload_libraries=pg_stat_statements}); the
 * embedded binaries ship it.
 */
final class PostgresActivity {

    private static final int TOP = 12;

    record TopStatement(String database, long calls, double totalMillis, long rows, String query) {
    }

    /**
     * Commits by database, the top statements, and the ledger events appended by type (the simple class name), since
     * {@link #start()}. The events say what the ledger was asked: a reservation and a release per lease beside one
     * charge per request, so more events per request means leases that covered fewer requests.
     */
    record Delta(Map<String, Long> commits, List<TopStatement> statements, Map<String, Long> ledgerEvents) {
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private Map<String, Long> commitsAtStart = Map.of();
    private long eventIndexAtStart;

    PostgresActivity(String jdbcUrl, String user, String password) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
        }
    }

    /** Forgets the statements seen so far and notes the commit counters. */
    void start() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("select pg_stat_statements_reset()");
            commitsAtStart = commits(statement);
            eventIndexAtStart = lastEventIndex(statement);
        }
    }

    Delta stop() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // The cumulative statistics are flushed by each backend at most once a second.
            statement.execute("select pg_stat_force_next_flush()");
            Map<String, Long> commits = new LinkedHashMap<>();
            commits(statement).forEach((database, count) -> {
                long delta = count - commitsAtStart.getOrDefault(database, 0L);
                if (delta > 0) {
                    commits.put(database, delta);
                }
            });
            List<TopStatement> top = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select d.datname, s.calls, s.total_exec_time, s.rows, "
                    + "s.query from pg_stat_statements s join pg_database d on d.oid = s.dbid "
                    + "order by s.total_exec_time desc limit " + TOP)) {
                while (rows.next()) {
                    top.add(new TopStatement(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4),
                            rows.getString(5)));
                }
            }
            return new Delta(commits, top, ledgerEventsSince(statement, eventIndexAtStart));
        }
    }

    private static Map<String, Long> commits(Statement statement) throws SQLException {
        Map<String, Long> commits = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery(
                "select datname, xact_commit from pg_stat_database where datname like 'tally%' order by datname")) {
            while (rows.next()) {
                commits.put(rows.getString(1), rows.getLong(2));
            }
        }
        return commits;
    }

    private static long lastEventIndex(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("select coalesce(max(global_index), 0) from domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Map<String, Long> ledgerEventsSince(Statement statement, long index) throws SQLException {
        Map<String, Long> events = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("select payload_type, count(*) from domain_event_entry "
                + "where global_index > " + index + " group by payload_type order by count(*) desc")) {
            while (rows.next()) {
                String type = rows.getString(1);
                events.put(type.substring(type.lastIndexOf('.') + 1), rows.getLong(2));
            }
        }
        return events;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}

package dev.tally.servicekit.kafka;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure caused by a database that cannot be reached (down, restarting, refusing connections, shutting
 * down) from one the record itself caused. The first passes once the database is back, so retrying it is right; a
 * record that fails for another reason would fail the same way every time.
 */
public final class DatabaseOutage {

    // By name: service-kit then need not depend on JDBC, R2DBC, Spring's data access and Axon all at once, and each
    // service has only one of the stacks on its classpath.
    private static final Set<String> OUTAGE_TYPES = Set.of(
            "org.springframework.dao.TransientDataAccessException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.dao.RecoverableDataAccessException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "io.r2dbc.spi.R2dbcTransientException",
            "io.r2dbc.spi.R2dbcNonTransientResourceException");
    private static final int MAX_CAUSES = 32;

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof ConnectException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && isOutageState(sql.getSQLState())) {
                return true;
            }
            if (isOutageType(t.getClass()) || isOutageState(r2dbcSqlState(t))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 is a connection exception; 57P01–57P03 are the server shutting down or starting
     * (admin_shutdown, crash_shutdown, cannot_connect_now); class 53 is the server out of resources (too many
     * connections, disk full).
     */
    static boolean isOutageState(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53"));
    }

    private static boolean isOutageType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (OUTAGE_TYPES.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }

    private static String r2dbcSqlState(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.r2dbc.spi.R2dbcException")) {
                try {
                    return (String) c.getMethod("getSqlState").invoke(t);
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            }
        }
        return null;
    }
}

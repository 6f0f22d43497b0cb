package dev.tally.ledger.readers;

import dev.tally.servicekit.web.ApiException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.sql.SQLException;
import java.util.function.Supplier;

/** The two ways the readers' limits show: answered as 503s a client can act on, not as internal errors. */
public final class ReadFailures {

    /** PostgreSQL's query_canceled, what statement_timeout raises. */
    private static final String QUERY_CANCELED = "57014";

    private ReadFailures() {
    }

    public static <T> T translate(ReaderSettings settings, Supplier<T> read) {
        try {
            return read.get();
        } catch (CannotGetJdbcConnectionException e) {
            throw ApiException.unavailable("readers_busy", "every database connection for ledger readers ("
                    + settings.poolSize() + ") stayed in use for " + settings.connectionTimeout().toMillis()
                    + " ms; retry shortly");
        } catch (DataAccessException e) {
            if (isQueryCanceled(e)) {
                throw ApiException.unavailable("read_timeout", "reading the event store took longer than "
                        + settings.statementTimeout().toMillis() + " ms; ask for fewer events (limit) or a narrower"
                        + " from/to");
            }
            throw e;
        }
    }

    private static boolean isQueryCanceled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

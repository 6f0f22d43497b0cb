package dev.tally.governance.support;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named-parameter SQL over R2DBC where a null is a typed NULL rather than an error. */
public final class Sql {

    private Sql() {
    }

    /** Parameters in pairs: name, value; a value may be a {@link Parameter} to give a null its type. */
    public static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Object... pairs) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put((String) pairs[i], pairs[i + 1]);
        }
        for (var entry : params.entrySet()) {
            Object value = entry.getValue();
            if (value == null) {
                throw new IllegalArgumentException("null for :" + entry.getKey() + " needs Sql.nullable(value, type)");
            }
            spec = value instanceof Parameter p ? spec.bind(entry.getKey(), p) : spec.bind(entry.getKey(), value);
        }
        return spec;
    }

    public static Parameter nullable(Object value, Class<?> type) {
        return Parameter.fromOrEmpty(value, type);
    }

    public static String string(Readable row, String column) {
        return row.get(column, String.class);
    }

    public static long longValue(Readable row, String column) {
        Long value = row.get(column, Long.class);
        return value == null ? 0 : value;
    }

    public static boolean bool(Readable row, String column) {
        return Boolean.TRUE.equals(row.get(column, Boolean.class));
    }

    public static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

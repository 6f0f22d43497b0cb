package dev.tally.notification.support;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Named-parameter SQL over R2DBC where a null is a typed NULL rather than an error. */
public final class Sql {

    private Sql() {
    }

    /** Parameters in pairs: name, value; a value may be a {@link Parameter} to give a null its type. */
    public static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            Object value = pairs[i + 1];
            if (value == null) {
                throw new IllegalArgumentException("null for :" + name + " needs Sql.nullable(value, type)");
            }
            if (value instanceof Instant instant) {
                value = instant.atOffset(ZoneOffset.UTC);
            }
            spec = value instanceof Parameter p ? spec.bind(name, p) : spec.bind(name, value);
        }
        return spec;
    }

    public static Parameter nullable(Object value, Class<?> type) {
        if (value instanceof Instant instant) {
            return Parameter.from(instant.atOffset(ZoneOffset.UTC));
        }
        return Parameter.fromOrEmpty(value, type == Instant.class ? OffsetDateTime.class : type);
    }

    public static String string(Readable row, String column) {
        return row.get(column, String.class);
    }

    public static int intValue(Readable row, String column) {
        Integer value = row.get(column, Integer.class);
        return value == null ? 0 : value;
    }

    public static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

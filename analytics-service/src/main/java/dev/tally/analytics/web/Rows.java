package dev.tally.analytics.web;

import io.r2dbc.spi.Readable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Typed reads of R2DBC rows; PostgreSQL sums of bigint come back as numeric, hence {@link Number}. */
public final class Rows {

    private Rows() {
    }

    public static String string(Readable row, String column) {
        return row.get(column, String.class);
    }

    public static long longValue(Readable row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    public static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Credits as US dollars for people (never for arithmetic); null when the org's rate is unknown. */
    public static BigDecimal usd(long credits, long creditsPerUsd) {
        if (creditsPerUsd <= 0) {
            return null;
        }
        return BigDecimal.valueOf(credits).divide(BigDecimal.valueOf(creditsPerUsd), 4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }
}

package dev.tally.analytics.projection;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One column of a list of rows as an array, to bind to {@code unnest(...)}: a multi-row insert whose SQL text does not
 * change with the number of rows, so PostgreSQL plans it once.
 */
final class Columns {

    private Columns() {
    }

    static <R, T> T[] of(List<R> rows, Function<R, T> column, IntFunction<T[]> array) {
        T[] values = array.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }
}

package dev.tally.governance.hierarchy;

import dev.tally.governance.support.Sql;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An update of a hierarchy row that writes only the columns the request changed, compared with the row as the request
 * read it. Requests read a row, decide, and write later; writing every column back would undo whatever another request
 * changed meanwhile: a rename would reactivate an organisation a platform admin had just deactivated, or lift a
 * suspension or a budget's auto-disable. Two requests changing the same column still end with the later one's value.
 */
final class ChangedColumns {

    private final List<String> assignments = new ArrayList<>();
    private final List<Object> pairs = new ArrayList<>();

    ChangedColumns set(String column, Object read, Object next, Class<?> type) {
        if (!Objects.equals(read, next)) {
            assignments.add(column + " = :" + column);
            pairs.add(column);
            pairs.add(Sql.nullable(next, type));
        }
        return this;
    }

    /** {@code update <table> set <changed columns>, updated_at where id = :id returning *}: the row as stored. */
    DatabaseClient.GenericExecuteSpec update(DatabaseClient db, String table, String id, Instant updatedAt) {
        List<String> set = new ArrayList<>(assignments);
        set.add("updated_at = :updated_at");
        List<Object> all = new ArrayList<>(pairs);
        all.addAll(List.of("updated_at", updatedAt.atOffset(ZoneOffset.UTC), "id", id));
        return Sql.bind(db.sql("update " + table + " set " + String.join(", ", set) + " where id = :id returning *"),
                all.toArray());
    }
}

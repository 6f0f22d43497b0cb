package dev.tally.governance.audit;

import dev.tally.events.json.TallyJson;
import dev.tally.governance.support.Sql;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Who changed what, written in the same transaction as the change itself. */
@Component
public class AuditLog {

    private final DatabaseClient db;

    public AuditLog(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> record(String orgId, String actor, String action, String targetType, String targetId,
            Map<String, ?> detail) {
        return Sql.bind(db.sql("""
                        insert into audit_log (org_id, actor, action, target_type, target_id, detail, at)
                        values (:org, :actor, :action, :type, :id, :detail, :at)"""),
                        "org", Sql.nullable(orgId, String.class), "actor", actor, "action", action,
                        "type", targetType, "id", targetId,
                        "detail", Json.of(TallyJson.write(detail == null ? Map.of() : detail)),
                        "at", Instant.now().atOffset(ZoneOffset.UTC))
                .then();
    }

    public Flux<AuditEntry> list(String orgId, long afterSeq, int limit) {
        return db.sql("""
                        select seq, actor, action, target_type, target_id, detail, at from audit_log
                        where org_id = :org and seq > :after order by seq limit :limit""")
                .bind("org", orgId).bind("after", afterSeq).bind("limit", limit)
                .map(row -> new AuditEntry(Sql.longValue(row, "seq"), row.get("actor", String.class),
                        row.get("action", String.class), row.get("target_type", String.class),
                        row.get("target_id", String.class),
                        TallyJson.mapper().readTree(row.get("detail", Json.class).asArray()),
                        Sql.instant(row, "at")))
                .all();
    }

    public record AuditEntry(long seq, String actor, String action, String targetType, String targetId,
            tools.jackson.databind.JsonNode detail, Instant at) {
    }
}

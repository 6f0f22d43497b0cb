package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

@Component
public class AlertStore {

    private static final String SELECT = """
            select a.*, k.acknowledged_by, k.acknowledged_at, k.note
            from alert a left join acknowledgement k on k.alert_id = a.alert_id""";

    private final DatabaseClient db;

    public AlertStore(DatabaseClient db) {
        this.db = db;
    }

    /** True when the alert is new; false when its id was seen before, which is the whole de-duplication. */
    public Mono<Boolean> insertIfNew(Alert a, String source, Instant now) {
        return Sql.bind(db.sql("""
                        insert into alert (alert_id, org_id, kind, severity, title, text, budget_id, group_id,
                            member_id, approval_id, occurred_at, received_at, source)
                        values (:id, :org, :kind, :severity, :title, :text, :budget, :group, :member, :approval,
                            :occurred, :received, :source)
                        on conflict (alert_id) do nothing"""),
                        "id", a.alertId(), "org", a.orgId(), "kind", a.kind().name(),
                        "severity", a.severity().name(), "title", a.title(), "text", a.text(),
                        "budget", Sql.nullable(a.budgetId(), String.class),
                        "group", Sql.nullable(a.groupId(), String.class),
                        "member", Sql.nullable(a.memberId(), String.class),
                        "approval", Sql.nullable(a.approvalId(), String.class),
                        "occurred", a.occurredAt(), "received", now, "source", source)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Void> suppress(String alertId, String reason) {
        return Sql.bind(db.sql("update alert set suppressed = :reason where alert_id = :id"),
                "id", alertId, "reason", reason).then();
    }

    public Mono<Void> escalation(String alertId, int level, Instant next) {
        return Sql.bind(db.sql("update alert set escalation_level = :level, next_escalation_at = :next where alert_id = :id"),
                "id", alertId, "level", level, "next", Sql.nullable(next, Instant.class)).then();
    }

    /** Takes an escalation that is due, once across replicas: false when another got it first. */
    public Mono<Boolean> claimEscalation(String alertId, Instant due) {
        return Sql.bind(db.sql("update alert set next_escalation_at = null where alert_id = :id and next_escalation_at = :due"),
                "id", alertId, "due", due).fetch().rowsUpdated().map(n -> n > 0);
    }

    public Flux<StoredAlert> dueEscalations(Instant now, int limit) {
        return Sql.bind(db.sql(SELECT + " where a.next_escalation_at <= :now order by a.next_escalation_at limit :limit"),
                "now", now, "limit", limit).map(AlertStore::stored).all();
    }

    public Mono<StoredAlert> find(String alertId) {
        return db.sql(SELECT + " where a.alert_id = :id").bind("id", alertId).map(AlertStore::stored).one();
    }

    public Flux<StoredAlert> list(String orgId, AlertKind kind, Boolean acknowledged, int limit) {
        String where = " where a.org_id = :org" + (kind == null ? "" : " and a.kind = :kind")
                + (acknowledged == null ? "" : acknowledged ? " and k.alert_id is not null" : " and k.alert_id is null");
        var spec = db.sql(SELECT + where + " order by a.received_at desc, a.alert_id limit :limit")
                .bind("org", orgId).bind("limit", limit);
        if (kind != null) {
            spec = spec.bind("kind", kind.name());
        }
        return spec.map(AlertStore::stored).all();
    }

    /** True when this call acknowledged it; false when it was acknowledged before (the first one stays). */
    public Mono<Boolean> acknowledge(String alertId, String by, String note, Instant now) {
        return Sql.bind(db.sql("""
                        insert into acknowledgement (alert_id, acknowledged_by, note, acknowledged_at)
                        values (:id, :by, :note, :at) on conflict (alert_id) do nothing"""),
                        "id", alertId, "by", by, "note", Sql.nullable(note, String.class), "at", now)
                .fetch().rowsUpdated().map(n -> n > 0)
                .flatMap(acknowledged -> Sql.bind(db.sql(
                                "update alert set next_escalation_at = null where alert_id = :id"), "id", alertId)
                        .then().thenReturn(acknowledged));
    }

    static StoredAlert stored(Readable r) {
        Alert alert = new Alert(Sql.string(r, "alert_id"), Sql.string(r, "org_id"),
                AlertKind.valueOf(Sql.string(r, "kind")), AlertSeverity.valueOf(Sql.string(r, "severity")),
                Sql.string(r, "title"), Sql.string(r, "text"), Sql.string(r, "budget_id"), Sql.string(r, "group_id"),
                Sql.string(r, "member_id"), Sql.string(r, "approval_id"), Sql.instant(r, "occurred_at"));
        return new StoredAlert(alert, Sql.instant(r, "received_at"), Sql.string(r, "source"),
                Sql.string(r, "suppressed"), r.get("escalation_level", Integer.class),
                Sql.instant(r, "next_escalation_at"), Sql.string(r, "acknowledged_by"),
                Sql.instant(r, "acknowledged_at"), Sql.string(r, "note"));
    }
}

package dev.tally.governance.approval;

import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

@Component
public class ApprovalStore {

    private final DatabaseClient db;

    public ApprovalStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(Approval a) {
        return Sql.bind(db.sql("""
                        insert into approval (id, org_id, member_id, group_id, amount, reason, status, requested_at)
                        values (:id, :org, :member, :group, :amount, :reason, 'PENDING', :at)"""),
                        "id", a.id(), "org", a.orgId(), "member", a.memberId(),
                        "group", Sql.nullable(a.groupId(), String.class), "amount", a.amount(), "reason", a.reason(),
                        "at", a.requestedAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    /** Moves a request from one status to another; empty if it was not in {@code from} any more (a race lost). */
    public Mono<Approval> transition(String id, String from, String to, String decidedBy, String note,
            String transferId) {
        return Sql.bind(db.sql("""
                        update approval set status = :to, decided_by = :by, decided_at = :at, decision_note = :note,
                            transfer_id = coalesce(:transfer, transfer_id)
                        where id = :id and status = :from returning *"""),
                        "id", id, "from", from, "to", to, "by", Sql.nullable(decidedBy, String.class),
                        "at", Instant.now().atOffset(ZoneOffset.UTC), "note", Sql.nullable(note, String.class),
                        "transfer", Sql.nullable(transferId, String.class))
                .map(row -> approval(row)).one();
    }

    public Mono<Approval> find(String id) {
        return db.sql("select * from approval where id = :id").bind("id", id).map(row -> approval(row)).one();
    }

    public Mono<Approval> byTransfer(String transferId) {
        return db.sql("select * from approval where transfer_id = :t").bind("t", transferId)
                .map(row -> approval(row)).one();
    }

    public Flux<Approval> pending(String orgId, String groupId) {
        String group = groupId == null ? "" : " and group_id = :group";
        var spec = db.sql("select * from approval where org_id = :org and status = 'PENDING'" + group
                + " order by requested_at").bind("org", orgId);
        if (groupId != null) {
            spec = spec.bind("group", groupId);
        }
        return spec.map(row -> approval(row)).all();
    }

    public Flux<Approval> ofMember(String memberId) {
        return db.sql("select * from approval where member_id = :m order by requested_at desc").bind("m", memberId)
                .map(row -> approval(row)).all();
    }

    private static Approval approval(Readable r) {
        return new Approval(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "member_id"),
                Sql.string(r, "group_id"), Sql.longValue(r, "amount"), Sql.string(r, "reason"),
                Sql.string(r, "status"), Sql.instant(r, "requested_at"), Sql.string(r, "decided_by"),
                Sql.instant(r, "decided_at"), Sql.string(r, "decision_note"), Sql.string(r, "transfer_id"));
    }
}

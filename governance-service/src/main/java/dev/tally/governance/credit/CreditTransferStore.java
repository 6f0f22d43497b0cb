package dev.tally.governance.credit;

import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

@Component
public class CreditTransferStore {

    private final DatabaseClient db;

    public CreditTransferStore(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts a PENDING transfer; an existing one with the same id is kept (idempotent retries). */
    public Mono<Void> insert(CreditTransfer t) {
        return Sql.bind(db.sql("""
                        insert into credit_transfer (id, org_id, kind, from_account, to_account, amount, reason, actor,
                            status, created_at, updated_at)
                        values (:id, :org, :kind, :from, :to, :amount, :reason, :actor, 'PENDING', :at, :at)
                        on conflict (id) do nothing"""),
                        "id", t.id(), "org", t.orgId(), "kind", t.kind(),
                        "from", Sql.nullable(t.fromAccount(), String.class), "to", t.toAccount(),
                        "amount", t.amount(), "reason", Sql.nullable(t.reason(), String.class), "actor", t.actor(),
                        "at", t.createdAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    /** Records the caller's idempotency key on a transfer just inserted, in the same transaction. */
    public Mono<Void> keyed(String id, String idempotencyKey) {
        return db.sql("update credit_transfer set idempotency_key = :key where id = :id")
                .bind("key", idempotencyKey).bind("id", id).then();
    }

    /** The transfer an organisation made under a caller's idempotency key, if any. */
    public Mono<CreditTransfer> byIdempotencyKey(String orgId, String idempotencyKey) {
        return db.sql("select * from credit_transfer where org_id = :org and idempotency_key = :key")
                .bind("org", orgId).bind("key", idempotencyKey).map(row -> transfer(row)).one();
    }

    /** Records the ledger's answer once; returns the transfer if this call changed it. */
    public Mono<CreditTransfer> settle(String id, String status, String detail) {
        return Sql.bind(db.sql("""
                        update credit_transfer set status = :status, detail = :detail, updated_at = :at
                        where id = :id and status = 'PENDING' returning *"""),
                        "id", id, "status", status, "detail", Sql.nullable(detail, String.class),
                        "at", Instant.now().atOffset(ZoneOffset.UTC))
                .map(row -> transfer(row)).one();
    }

    public Mono<CreditTransfer> find(String id) {
        return db.sql("select * from credit_transfer where id = :id").bind("id", id)
                .map(row -> transfer(row)).one();
    }

    public Flux<CreditTransfer> history(String orgId, String account, int limit, int offset) {
        String accountFilter = account == null ? "" : " and (from_account = :account or to_account = :account)";
        var spec = db.sql("select * from credit_transfer where org_id = :org" + accountFilter
                        + " order by created_at desc, id desc limit :limit offset :offset")
                .bind("org", orgId).bind("limit", limit).bind("offset", offset);
        if (account != null) {
            spec = spec.bind("account", account);
        }
        return spec.map(row -> transfer(row)).all();
    }

    private static CreditTransfer transfer(Readable r) {
        return new CreditTransfer(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "kind"),
                Sql.string(r, "from_account"), Sql.string(r, "to_account"), Sql.longValue(r, "amount"),
                Sql.string(r, "reason"), Sql.string(r, "actor"), Sql.string(r, "status"), Sql.string(r, "detail"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}

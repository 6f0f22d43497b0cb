package dev.tally.governance.org;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.auth.ApiKeys;
import dev.tally.governance.auth.Role;
import dev.tally.governance.publication.StateOutbox;
import dev.tally.governance.support.Ids;
import dev.tally.governance.support.Sql;
import dev.tally.servicekit.auth.KeyHash;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Admin keys ({@code tadm_}). Every change is staged on the state topic in the caller's transaction, so that
 * analytics and notifications, which authenticate administrators from that topic, see a revocation as soon as the
 * gateway sees a gateway key's.
 */
@Component
public class AdminKeyStore {

    private final DatabaseClient db;
    private final StateOutbox outbox;

    public AdminKeyStore(DatabaseClient db, StateOutbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /** Creates a key and returns it with its plaintext, which is not kept anywhere; call in a transaction. */
    public Mono<AdminKeyView> create(String orgId, Role role, String name) {
        String key = ApiKeys.newAdminKey();
        Instant now = Instant.now();
        String id = Ids.newId();
        return Sql.bind(db.sql("""
                        insert into admin_key (id, org_id, role, name, key_hash, key_suffix, status, created_at)
                        values (:id, :org, :role, :name, :hash, :suffix, 'ACTIVE', :at)"""),
                        "id", id, "org", orgId, "role", role.name(), "name", name, "hash", KeyHash.of(key),
                        "suffix", ApiKeys.suffix(key), "at", now.atOffset(ZoneOffset.UTC))
                .then()
                .then(outbox.stage(new AdminKeyState(KeyHash.of(key), id, orgId, AdminRole.valueOf(role.name()),
                        KeyStatus.ACTIVE, now)))
                .thenReturn(new AdminKeyView(id, orgId, role.name(), name, ApiKeys.suffix(key), true, now, null, key));
    }

    public Flux<AdminKeyView> list(String orgId) {
        return db.sql("select * from admin_key where org_id = :org order by id").bind("org", orgId)
                .map(row -> view(row)).all();
    }

    public Mono<AdminKeyView> find(String id) {
        return db.sql("select * from admin_key where id = :id").bind("id", id).map(row -> view(row)).one();
    }

    /** Call in a transaction. */
    public Mono<Void> revoke(String id) {
        return db.sql("update admin_key set status = 'REVOKED', revoked_at = :at where id = :id and status = 'ACTIVE'")
                .bind("id", id).bind("at", Instant.now().atOffset(ZoneOffset.UTC)).then()
                .then(db.sql("select * from admin_key where id = :id").bind("id", id).map(row -> state(row)).one())
                .flatMap(outbox::stage);
    }

    /** Every admin key as published, platform keys included; a revoked key is dated by its revocation. */
    public Flux<AdminKeyState> states() {
        return db.sql("select * from admin_key order by id").map(row -> state(row)).all();
    }

    private static AdminKeyState state(Readable r) {
        boolean active = "ACTIVE".equals(Sql.string(r, "status"));
        Instant revokedAt = Sql.instant(r, "revoked_at");
        return new AdminKeyState(Sql.string(r, "key_hash"), Sql.string(r, "id"), Sql.string(r, "org_id"),
                AdminRole.valueOf(Sql.string(r, "role")), active ? KeyStatus.ACTIVE : KeyStatus.REVOKED,
                revokedAt != null ? revokedAt : Sql.instant(r, "created_at"));
    }

    private static AdminKeyView view(Readable r) {
        return new AdminKeyView(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "role"),
                Sql.string(r, "name"), Sql.string(r, "key_suffix"), "ACTIVE".equals(Sql.string(r, "status")),
                Sql.instant(r, "created_at"), Sql.instant(r, "revoked_at"), null);
    }
}

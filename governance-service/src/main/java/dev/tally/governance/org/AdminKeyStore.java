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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Admin keys ({@code tadm_}). Every change is staged on the state topic in the caller's transaction, so that
 * analytics and notifications, which authenticate administrators from that topic, see a revocation as soon as the
 * gateway sees a gateway key's. The published state carries the key's expiry, which those services compare with
 * their own clock: nothing is published when a key expires.
 */
@Component
public class AdminKeyStore {

    private final DatabaseClient db;
    private final StateOutbox outbox;

    public AdminKeyStore(DatabaseClient db, StateOutbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * Creates a key and returns it with its plaintext, which is not kept anywhere; call in a transaction.
     *
     * @param expiresAt null for a key that never expires
     */
    public Mono<AdminKeyView> create(String orgId, Role role, String name, Instant expiresAt) {
        String key = ApiKeys.newAdminKey();
        Instant now = Instant.now();
        String id = Ids.newId();
        return Sql.bind(db.sql("""
                        insert into admin_key (id, org_id, role, name, key_hash, key_suffix, status, created_at,
                                               expires_at)
                        values (:id, :org, :role, :name, :hash, :suffix, 'ACTIVE', :at, :expires)"""),
                        "id", id, "org", orgId, "role", role.name(), "name", name, "hash", KeyHash.of(key),
                        "suffix", ApiKeys.suffix(key), "at", now.atOffset(ZoneOffset.UTC),
                        "expires", Sql.nullable(expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC),
                                OffsetDateTime.class))
                .then()
                .then(outbox.stage(new AdminKeyState(KeyHash.of(key), id, orgId, AdminRole.valueOf(role.name()),
                        KeyStatus.ACTIVE, now, expiresAt)))
                .thenReturn(new AdminKeyView(id, orgId, role.name(), name, ApiKeys.suffix(key), true, now, null,
                        expiresAt, null, key, null));
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
        return db.sql("""
                        update admin_key set status = 'REVOKED', revoked_at = :at, updated_at = :at
                        where id = :id and status = 'ACTIVE'""")
                .bind("id", id).bind("at", Instant.now().atOffset(ZoneOffset.UTC)).then()
                .then(stageState(id));
    }

    /** Moves a key's expiry to {@code expiresAt} (a rotation's grace deadline); call in a transaction. */
    public Mono<Void> expireAt(String id, Instant expiresAt) {
        return db.sql("update admin_key set expires_at = :expires, updated_at = :at where id = :id")
                .bind("id", id).bind("expires", expiresAt.atOffset(ZoneOffset.UTC))
                .bind("at", Instant.now().atOffset(ZoneOffset.UTC)).then()
                .then(stageState(id));
    }

    private Mono<Void> stageState(String id) {
        return db.sql("select * from admin_key where id = :id").bind("id", id).map(row -> state(row)).one()
                .flatMap(outbox::stage);
    }

    /** Every admin key as published, platform keys included; a changed key is dated by its last change. */
    public Flux<AdminKeyState> states() {
        return db.sql("select * from admin_key order by id").map(row -> state(row)).all();
    }

    private static AdminKeyState state(Readable r) {
        boolean active = "ACTIVE".equals(Sql.string(r, "status"));
        Instant updatedAt = Sql.instant(r, "updated_at");
        Instant revokedAt = Sql.instant(r, "revoked_at");
        return new AdminKeyState(Sql.string(r, "key_hash"), Sql.string(r, "id"), Sql.string(r, "org_id"),
                AdminRole.valueOf(Sql.string(r, "role")), active ? KeyStatus.ACTIVE : KeyStatus.REVOKED,
                updatedAt != null ? updatedAt : revokedAt != null ? revokedAt : Sql.instant(r, "created_at"),
                Sql.instant(r, "expires_at"));
    }

    private static AdminKeyView view(Readable r) {
        Instant expiresAt = Sql.instant(r, "expires_at");
        boolean active = "ACTIVE".equals(Sql.string(r, "status"))
                && (expiresAt == null || Instant.now().isBefore(expiresAt));
        return new AdminKeyView(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "role"),
                Sql.string(r, "name"), Sql.string(r, "key_suffix"), active, Sql.instant(r, "created_at"),
                Sql.instant(r, "revoked_at"), expiresAt, Sql.instant(r, "last_used_at"), null, null);
    }
}

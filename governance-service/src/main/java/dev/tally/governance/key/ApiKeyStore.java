package dev.tally.governance.key;

import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.auth.ApiKeys;
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

@Component
public class ApiKeyStore {

    private final DatabaseClient db;

    public ApiKeyStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A new gateway key for a member; the plaintext exists only in the returned value.
     *
     * @param expiresAt null for a key that never expires
     */
    public Mono<IssuedKey> issue(String orgId, String memberId, String name, Instant expiresAt) {
        String plaintext = ApiKeys.newGatewayKey();
        ApiKey key = new ApiKey(Ids.newId(), orgId, memberId, name, KeyHash.of(plaintext),
                ApiKeys.suffix(plaintext), KeyStatus.ACTIVE, Instant.now(), null, expiresAt, null, null);
        return Sql.bind(db.sql("""
                        insert into api_key (id, org_id, member_id, name, key_hash, key_suffix, status, created_at,
                                             expires_at)
                        values (:id, :org, :member, :name, :hash, :suffix, 'ACTIVE', :at, :expires)"""),
                        "id", key.id(), "org", orgId, "member", memberId, "name", name, "hash", key.keyHash(),
                        "suffix", key.keySuffix(), "at", key.createdAt().atOffset(ZoneOffset.UTC),
                        "expires", Sql.nullable(expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC),
                                OffsetDateTime.class))
                .then().thenReturn(new IssuedKey(key, plaintext));
    }

    public Flux<ApiKey> ofMember(String memberId) {
        return db.sql("select * from api_key where member_id = :member order by id").bind("member", memberId)
                .map(row -> key(row)).all();
    }

    public Flux<ApiKey> all() {
        return db.sql("select * from api_key order by id").map(row -> key(row)).all();
    }

    public Mono<ApiKey> find(String id) {
        return db.sql("select * from api_key where id = :id").bind("id", id).map(row -> key(row)).one();
    }

    public Mono<ApiKey> revoke(ApiKey key) {
        Instant now = Instant.now();
        ApiKey revoked = new ApiKey(key.id(), key.orgId(), key.memberId(), key.name(), key.keyHash(), key.keySuffix(),
                KeyStatus.REVOKED, key.createdAt(), now, key.expiresAt(), key.lastUsedAt(), now);
        return db.sql("update api_key set status = 'REVOKED', revoked_at = :at, updated_at = :at where id = :id")
                .bind("id", key.id()).bind("at", now.atOffset(ZoneOffset.UTC))
                .then().thenReturn(revoked);
    }

    /** Moves a key's expiry to {@code expiresAt} (a rotation's grace deadline); call in a transaction. */
    public Mono<ApiKey> expireAt(ApiKey key, Instant expiresAt) {
        Instant now = Instant.now();
        ApiKey expiring = new ApiKey(key.id(), key.orgId(), key.memberId(), key.name(), key.keyHash(),
                key.keySuffix(), key.status(), key.createdAt(), key.revokedAt(), expiresAt, key.lastUsedAt(), now);
        return db.sql("update api_key set expires_at = :expires, updated_at = :at where id = :id")
                .bind("id", key.id()).bind("expires", expiresAt.atOffset(ZoneOffset.UTC))
                .bind("at", now.atOffset(ZoneOffset.UTC))
                .then().thenReturn(expiring);
    }

    public record IssuedKey(ApiKey key, String plaintext) {
    }

    private static ApiKey key(Readable r) {
        return new ApiKey(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "member_id"),
                Sql.string(r, "name"), Sql.string(r, "key_hash"), Sql.string(r, "key_suffix"),
                KeyStatus.valueOf(Sql.string(r, "status")), Sql.instant(r, "created_at"),
                Sql.instant(r, "revoked_at"), Sql.instant(r, "expires_at"), Sql.instant(r, "last_used_at"),
                Sql.instant(r, "updated_at"));
    }
}

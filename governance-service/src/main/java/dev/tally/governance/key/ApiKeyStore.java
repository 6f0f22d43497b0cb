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
import java.time.ZoneOffset;

@Component
public class ApiKeyStore {

    private final DatabaseClient db;

    public ApiKeyStore(DatabaseClient db) {
        this.db = db;
    }

    /** A new gateway key for a member; the plaintext exists only in the returned value. */
    public Mono<IssuedKey> issue(String orgId, String memberId, String name) {
        String plaintext = ApiKeys.newGatewayKey();
        ApiKey key = new ApiKey(Ids.newId(), orgId, memberId, name, KeyHash.of(plaintext),
                ApiKeys.suffix(plaintext), KeyStatus.ACTIVE, Instant.now(), null);
        return db.sql("""
                        insert into api_key (id, org_id, member_id, name, key_hash, key_suffix, status, created_at)
                        values (:id, :org, :member, :name, :hash, :suffix, 'ACTIVE', :at)""")
                .bind("id", key.id()).bind("org", orgId).bind("member", memberId).bind("name", name)
                .bind("hash", key.keyHash()).bind("suffix", key.keySuffix())
                .bind("at", key.createdAt().atOffset(ZoneOffset.UTC))
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
        ApiKey revoked = new ApiKey(key.id(), key.orgId(), key.memberId(), key.name(), key.keyHash(), key.keySuffix(),
                KeyStatus.REVOKED, key.createdAt(), Instant.now());
        return db.sql("update api_key set status = 'REVOKED', revoked_at = :at where id = :id")
                .bind("id", key.id()).bind("at", revoked.revokedAt().atOffset(ZoneOffset.UTC))
                .then().thenReturn(revoked);
    }

    public record IssuedKey(ApiKey key, String plaintext) {
    }

    private static ApiKey key(Readable r) {
        return new ApiKey(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "member_id"),
                Sql.string(r, "name"), Sql.string(r, "key_hash"), Sql.string(r, "key_suffix"),
                KeyStatus.valueOf(Sql.string(r, "status")), Sql.instant(r, "created_at"),
                Sql.instant(r, "revoked_at"));
    }
}

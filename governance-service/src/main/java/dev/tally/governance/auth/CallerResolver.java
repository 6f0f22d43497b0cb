package dev.tally.governance.auth;

import dev.tally.governance.support.Sql;
import dev.tally.governance.web.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * Finds who a bearer key belongs to: an admin key ({@code tadm_}) or a gateway key ({@code cpk_}). An expired key is
 * refused like a revoked one; every accepted use is marked on the key ({@link KeyUsage}).
 */
@Component
public class CallerResolver {

    private final DatabaseClient db;
    private final KeyUsage usage;

    public CallerResolver(DatabaseClient db, KeyUsage usage) {
        this.db = db;
        this.usage = usage;
    }

    private record Found(Caller caller, Instant expiresAt) {
    }

    public Mono<Caller> resolve(String key) {
        String hash = ApiKeys.hash(key);
        Instant now = Instant.now();
        if (key.startsWith(ApiKeys.ADMIN_PREFIX)) {
            return db.sql("""
                            select id, org_id, role, expires_at from admin_key
                            where key_hash = :hash and status = 'ACTIVE'""")
                    .bind("hash", hash)
                    .map(row -> new Found(new Caller(Role.valueOf(row.get("role", String.class)),
                            row.get("org_id", String.class), null, null, row.get("id", String.class)),
                            Sql.instant(row, "expires_at")))
                    .one()
                    .switchIfEmpty(Mono.error(() -> ApiException.unauthenticated("the admin key is unknown or revoked")))
                    .flatMap(found -> unexpired(found, now))
                    .flatMap(caller -> usage.adminKeyUsed(caller.keyId(), now).thenReturn(caller));
        }
        if (key.startsWith(ApiKeys.GATEWAY_PREFIX)) {
            return db.sql("""
                            select k.id, k.org_id, k.member_id, k.expires_at, m.kind, m.group_id, m.group_admin
                            from api_key k join member m on m.id = k.member_id
                            where k.key_hash = :hash and k.status = 'ACTIVE'""")
                    .bind("hash", hash)
                    .map(row -> {
                        boolean agent = "AGENT".equals(row.get("kind", String.class));
                        boolean groupAdmin = Boolean.TRUE.equals(row.get("group_admin", Boolean.class));
                        Role role = agent ? Role.AGENT : groupAdmin ? Role.GROUP_ADMIN : Role.MEMBER;
                        return new Found(new Caller(role, row.get("org_id", String.class),
                                row.get("member_id", String.class), row.get("group_id", String.class),
                                row.get("id", String.class)), Sql.instant(row, "expires_at"));
                    })
                    .one()
                    .switchIfEmpty(Mono.error(() -> ApiException.unauthenticated("the key is unknown or revoked")))
                    .flatMap(found -> unexpired(found, now))
                    .flatMap(caller -> usage.gatewayKeyUsed(caller.keyId(), now).thenReturn(caller));
        }
        return Mono.error(ApiException.unauthenticated("expected a tadm_ admin key or a cpk_ key"));
    }

    private static Mono<Caller> unexpired(Found found, Instant now) {
        return KeyLifetime.expired(found.expiresAt(), now)
                ? Mono.error(ApiException.unauthenticated("the key expired at " + found.expiresAt()))
                : Mono.just(found.caller());
    }
}

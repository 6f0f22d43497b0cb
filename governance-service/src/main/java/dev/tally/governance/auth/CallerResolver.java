package dev.tally.governance.auth;

import dev.tally.governance.web.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Finds who a bearer key belongs to: an admin key ({@code tadm_}) or a gateway key ({@code cpk_}). */
@Component
public class CallerResolver {

    private final DatabaseClient db;

    public CallerResolver(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Caller> resolve(String key) {
        String hash = ApiKeys.hash(key);
        if (key.startsWith(ApiKeys.ADMIN_PREFIX)) {
            return db.sql("select id, org_id, role from admin_key where key_hash = :hash and status = 'ACTIVE'")
                    .bind("hash", hash)
                    .map(row -> new Caller(Role.valueOf(row.get("role", String.class)),
                            row.get("org_id", String.class), null, null, row.get("id", String.class)))
                    .one()
                    .switchIfEmpty(Mono.error(() -> ApiException.unauthenticated("the admin key is unknown or revoked")));
        }
        if (key.startsWith(ApiKeys.GATEWAY_PREFIX)) {
            return db.sql("""
                            select k.id, k.org_id, k.member_id, m.kind, m.group_id, m.group_admin
                            from api_key k join member m on m.id = k.member_id
                            where k.key_hash = :hash and k.status = 'ACTIVE'""")
                    .bind("hash", hash)
                    .map(row -> {
                        boolean agent = "AGENT".equals(row.get("kind", String.class));
                        boolean groupAdmin = Boolean.TRUE.equals(row.get("group_admin", Boolean.class));
                        Role role = agent ? Role.AGENT : groupAdmin ? Role.GROUP_ADMIN : Role.MEMBER;
                        return new Caller(role, row.get("org_id", String.class), row.get("member_id", String.class),
                                row.get("group_id", String.class), row.get("id", String.class));
                    })
                    .one()
                    .switchIfEmpty(Mono.error(() -> ApiException.unauthenticated("the key is unknown or revoked")));
        }
        return Mono.error(ApiException.unauthenticated("expected a tadm_ admin key or a cpk_ key"));
    }
}

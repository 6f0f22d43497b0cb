package dev.tally.governance.credit;

import dev.tally.governance.web.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Ledger account ids are entity ids: the org (its pool), a team (its pool) or a user (their allocation). */
@Component
public class Accounts {

    private final DatabaseClient db;

    public Accounts(DatabaseClient db) {
        this.db = db;
    }

    public Mono<String> require(String orgId, String accountId, String field) {
        if (accountId == null) {
            return Mono.error(ApiException.missing(field));
        }
        if (accountId.equals(orgId)) {
            return Mono.just(accountId);
        }
        return db.sql("""
                        select id from grp where id = :id and org_id = :org and kind = 'TEAM'
                        union all
                        select id from member where id = :id and org_id = :org and kind = 'USER'""")
                .bind("id", accountId).bind("org", orgId).map(row -> row.get("id", String.class)).first()
                .switchIfEmpty(Mono.error(() -> ApiException.invalid(field,
                        "is not an account of this organisation (use the org id, a team id or a user id)")));
    }
}

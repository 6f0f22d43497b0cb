package dev.tally.analytics.account;

import dev.tally.analytics.web.Paging;
import dev.tally.analytics.web.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

/** Reads of the ledger projection: balances, held credits and transfers. */
@Component
public class AccountQueries {

    private final DatabaseClient db;

    public AccountQueries(DatabaseClient db) {
        this.db = db;
    }

    /**
     * @param balanceCredits every account of the organisation together: purchased + adjusted + refunded − charged
     * @param heldCredits    reserved by requests in flight, not yet charged or released
     */
    public record Balance(long balanceCredits, long heldCredits) {

        public long availableCredits() {
            return balanceCredits - heldCredits;
        }
    }

    public Mono<Balance> balance(String orgId) {
        return db.sql("""
                        select (select coalesce(sum(delta), 0) from ledger_entry where org_id = :org) as balance,
                               (select coalesce(sum(credits), 0) from open_reservation where org_id = :org) as held""")
                .bind("org", orgId)
                .map(r -> new Balance(Rows.longValue(r, "balance"), Rows.longValue(r, "held"))).one();
    }

    public record AccountBalance(String accountId, long balanceCredits) {
    }

    public Mono<List<AccountBalance>> accounts(String orgId) {
        return db.sql("""
                        select account_id, sum(delta) as balance from ledger_entry where org_id = :org
                        group by account_id order by balance desc, account_id""")
                .bind("org", orgId)
                .map(r -> new AccountBalance(Rows.string(r, "account_id"), Rows.longValue(r, "balance")))
                .all().collectList();
    }

    public record Transfer(String eventId, Instant occurredAt, String fromAccountId, String fromName,
            String toAccountId, String toName, long credits, String actor, String reason, boolean refused) {
    }

    public Mono<List<Transfer>> transfers(String orgId, Paging paging) {
        return db.sql("""
                        select * from transfer where org_id = :org order by occurred_at desc, event_id
                        limit :limit offset :offset""")
                .bind("org", orgId).bind("limit", paging.limit()).bind("offset", paging.offset())
                .map(r -> new Transfer(Rows.string(r, "event_id"), Rows.instant(r, "occurred_at"),
                        Rows.string(r, "from_account_id"), null, Rows.string(r, "to_account_id"), null,
                        Rows.longValue(r, "credits"), Rows.string(r, "actor"), Rows.string(r, "reason"),
                        Boolean.TRUE.equals(r.get("refused", Boolean.class))))
                .all().collectList();
    }
}

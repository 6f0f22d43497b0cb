package dev.tally.governance.credit;

import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.ledger.LedgerOutcome;
import dev.tally.governance.ledger.LedgerOutcomeHandler;
import dev.tally.governance.publication.StateOutbox;
import dev.tally.governance.support.Tx;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Settles a transfer when the ledger answers, and keeps the quota figures of users and team pools in step with what
 * the ledger actually moved (refused movements change nothing).
 */
@Component
public class CreditOutcomeHandler implements LedgerOutcomeHandler {

    private final CreditTransferStore transfers;
    private final HierarchyStore hierarchy;
    private final DatabaseClient db;
    private final StateOutbox states;
    private final Tx tx;

    public CreditOutcomeHandler(CreditTransferStore transfers, HierarchyStore hierarchy, DatabaseClient db,
            StateOutbox states, Tx tx) {
        this.transfers = transfers;
        this.hierarchy = hierarchy;
        this.db = db;
        this.states = states;
        this.tx = tx;
    }

    @Override
    public Mono<Void> onAnswer(LedgerOutcome outcome) {
        String status = outcome.accepted() ? "APPLIED" : "REFUSED";
        String detail = outcome.rejected() ? outcome.reason() + ": " + outcome.detail() : null;
        return tx.run(transfers.settle(outcome.commandId(), status, detail)
                        .filter(t -> outcome.accepted() && !"PURCHASE".equals(t.kind()))
                        .flatMap(this::adjustBoth))
                .doOnSuccess(done -> states.flushSoon())
                .then();
    }

    /**
     * Both sides in the order of their ids, so two transfers between the same two accounts in opposite directions
     * lock the rows in the same order and cannot deadlock.
     */
    private Mono<Void> adjustBoth(CreditTransfer t) {
        if (t.fromAccount() == null) {
            return adjust(t.toAccount(), t.amount());
        }
        return t.fromAccount().compareTo(t.toAccount()) < 0
                ? adjust(t.fromAccount(), -t.amount()).then(adjust(t.toAccount(), t.amount()))
                : adjust(t.toAccount(), t.amount()).then(adjust(t.fromAccount(), -t.amount()));
    }

    /**
     * The account of a user or a team has the entity's id; the org pool's figure lives in the ledger only. One
     * statement adds the delta to the stored figure, so no answer can overwrite another's (a PostgreSQL bigint
     * that would overflow is an error, never a wrap).
     */
    private Mono<Void> adjust(String accountId, long delta) {
        Mono<Void> member = db.sql("update member set personal_quota = personal_quota + :d where id = :id")
                .bind("d", delta).bind("id", accountId).fetch().rowsUpdated()
                .filter(n -> n > 0)
                .flatMap(n -> hierarchy.member(accountId))
                .flatMap(m -> states.stage(m.state()));
        Mono<Void> group = db.sql("update grp set pool_credits = pool_credits + :d where id = :id")
                .bind("d", delta).bind("id", accountId).fetch().rowsUpdated()
                .filter(n -> n > 0)
                .flatMap(n -> hierarchy.group(accountId))
                .flatMap(g -> states.stage(g.state()));
        return member.then(group);
    }
}

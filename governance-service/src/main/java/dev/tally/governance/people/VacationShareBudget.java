package dev.tally.governance.people;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.VacationShare;
import dev.tally.governance.credit.LedgerBalances;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * TokenPool caps vacation sharing at 10 % of the team pool. When a member goes on vacation, the team's vacation-share
 * budget ({@link VacationShare}) is (re)defined in the ledger as 10 % of the pool's balance at that moment, for the
 * month; the gateway puts that budget's scope on the reservations that draw on the pool because of the vacation.
 */
@Component
class VacationShareBudget {

    private static final Logger log = LoggerFactory.getLogger(VacationShareBudget.class);

    private final LedgerBalances balances;
    private final Changes changes;

    VacationShareBudget(LedgerBalances balances, Changes changes) {
        this.balances = balances;
        this.changes = changes;
    }

    Mono<Void> define(String orgId, String teamId, String actor) {
        return balances.of(orgId)
                .map(org -> org.accounts().stream().filter(a -> a.accountId().equals(teamId))
                        .mapToLong(LedgerBalances.AccountBalance::balance).sum())
                .flatMap(pool -> {
                    String commandId = "vacation-share:" + teamId + ":" + Ids.newId();
                    DefineBudgetCommand define = new DefineBudgetCommand(commandId, orgId,
                            VacationShare.budgetId(teamId), VacationShare.scope(teamId), BudgetPeriod.MONTHLY,
                            VacationShare.limit(pool), List.of(100), false, actor);
                    return changes.commit(changes.stage(define)).then(changes.dispatch(commandId));
                })
                .doOnError(e -> log.warn("vacation share of team {} not (re)defined: {}", teamId, e.toString()))
                // The status change stands either way; without a definition the share stays at its last limit.
                .onErrorResume(e -> Mono.empty())
                .then();
    }
}

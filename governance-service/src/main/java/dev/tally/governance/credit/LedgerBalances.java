package dev.tally.governance.credit;

import dev.tally.events.ledger.view.LedgerView;
import dev.tally.governance.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Balances come from ledger-service's projection: governance keeps no copy that could drift. */
@Component
public class LedgerBalances {

    public record AccountBalance(String accountId, String kind, long balance, long reserved, long available) {
    }

    public record OrgBalance(String orgId, long balance, long reserved, long available, long allocated,
            List<AccountBalance> accounts) {
    }

    private static final Logger log = LoggerFactory.getLogger(LedgerBalances.class);

    private final WebClient ledger;

    public LedgerBalances(WebClient ledgerWebClient) {
        this.ledger = ledgerWebClient;
    }

    public Mono<OrgBalance> of(String orgId) {
        return ledger.get().uri("/ledgers/{id}", orgId).retrieve().bodyToMono(LedgerView.class)
                .timeout(Duration.ofSeconds(5))
                .doOnError(e -> !(e instanceof WebClientResponseException.NotFound),
                        e -> log.warn("balances of org {} not read from the ledger: {}", orgId, e.toString()))
                .map(view -> balance(orgId, view))
                .onErrorResume(WebClientResponseException.NotFound.class,
                        e -> Mono.just(new OrgBalance(orgId, 0, 0, 0, 0, List.of())))
                .onErrorMap(WebClientResponseException.Unauthorized.class, e -> new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable", "ledger-service refused governance's"
                        + " admin key; set TALLY_LEDGER_ADMIN_KEY to a platform admin key", null, null))
                .onErrorMap(e -> !(e instanceof ApiException), e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "ledger_unavailable", "the ledger did not answer; try again shortly", null, null));
    }

    private static OrgBalance balance(String orgId, LedgerView view) {
        List<AccountBalance> accounts = new ArrayList<>();
        long poolBalance = 0, poolReserved = 0, poolAvailable = 0, allocated = 0;
        for (LedgerView.Account a : view.accounts()) {
            AccountBalance account = new AccountBalance(a.accountId(), a.kind() == null ? null : a.kind().name(),
                    a.balance(), a.reserved(), a.available());
            accounts.add(account);
            if (account.accountId().equals(orgId)) {
                poolBalance = account.balance();
                poolReserved = account.reserved();
                poolAvailable = account.available();
            } else {
                allocated += account.balance();
            }
        }
        return new OrgBalance(orgId, poolBalance, poolReserved, poolAvailable, allocated, accounts);
    }
}

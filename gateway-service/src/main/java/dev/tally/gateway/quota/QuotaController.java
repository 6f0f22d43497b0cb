package dev.tally.gateway.quota;

import dev.tally.events.governance.BudgetState;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.view.LedgerView;
import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.auth.KeyAuthenticator;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alfred's and TokenPool's {@code GET /v1/users/me/quota}: the caller's allocation, what is left of it, what the team pool
 * still has, and every budget on the caller's chain with its current window. Balances come from the ledger.
 */
@RestController
public class QuotaController {

    public record BudgetWindow(String budgetId, Scope scope, String period, long limitCredits, String windowStart,
            long spentCredits, long reservedCredits, long remainingCredits) {
    }

    public record Quota(String memberId, String kind, long personalQuota, long balance, long reserved,
            long availableQuota, long usedCredits, Long teamPoolAvailable, List<BudgetWindow> budgets) {
    }

    private static final Logger log = LoggerFactory.getLogger(QuotaController.class);

    private final KeyAuthenticator authenticator;
    private final GovernanceView view;
    private final WebClient ledger;

    /** @param ledgerAdminKey ledger-service answers admin keys only: a platform admin key reads every org's balances */
    public QuotaController(KeyAuthenticator authenticator, GovernanceView view, GatewaySettings settings,
            @Value("${tally.gateway.ledger-admin-key:}") String ledgerAdminKey) {
        this.authenticator = authenticator;
        this.view = view;
        WebClient.Builder ledger = WebClient.builder().baseUrl(settings.ledgerUrl());
        if (!ledgerAdminKey.isBlank()) {
            ledger.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ledgerAdminKey.strip());
        }
        this.ledger = ledger.build();
    }

    @GetMapping(path = {"/v1/users/me/quota", "/gateway/v1/users/me/quota"})
    public Mono<Quota> quota(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Principal principal = authenticator.authenticate(authorization);
        return ledger.get().uri("/ledgers/{id}", principal.org().id()).retrieve().bodyToMono(LedgerView.class)
                .timeout(Duration.ofSeconds(5))
                .doOnError(e -> log.warn("quota query of org {} failed: {}", principal.org().id(), e.toString()))
                .onErrorMap(e -> GatewayException.ledgerUnavailable("The ledger did not answer the quota query."))
                .map(ledgerView -> quota(principal, ledgerView));
    }

    private Quota quota(Principal principal, LedgerView ledgerView) {
        String own = principal.isUser() ? principal.member().accountId() : principal.org().poolAccountId();
        String team = principal.group() == null ? null : principal.group().poolAccountId();
        // An account or window the ledger has not projected yet reads as empty.
        Optional<LedgerView.Account> ownAccount = ledgerView.account(own);
        Long teamAvailable = team == null ? null
                : ledgerView.account(team).map(LedgerView.Account::available).orElse(0L);
        List<BudgetWindow> budgets = new ArrayList<>();
        for (Scope scope : principal.chain()) {
            for (BudgetState budget : view.budgetsAt(scope)) {
                Optional<LedgerView.BudgetWindow> window = ledgerView.budget(budget.id());
                long spent = window.map(LedgerView.BudgetWindow::chargedCredits).orElse(0L);
                long reserved = window.map(LedgerView.BudgetWindow::reservedCredits).orElse(0L);
                budgets.add(new BudgetWindow(budget.id(), budget.scope(), budget.period().name(),
                        budget.limitCredits(), window.map(w -> w.windowStart().toString()).orElse(null), spent,
                        reserved, Math.max(0, budget.limitCredits() - spent - reserved)));
            }
        }
        long personalQuota = principal.isUser() ? principal.member().personalQuota() : 0;
        long balance = ownAccount.map(LedgerView.Account::balance).orElse(0L);
        return new Quota(principal.member().id(), principal.member().kind().name().toLowerCase(java.util.Locale.ROOT),
                personalQuota, balance, ownAccount.map(LedgerView.Account::reserved).orElse(0L),
                ownAccount.map(LedgerView.Account::available).orElse(0L),
                principal.isUser() ? Math.max(0, personalQuota - balance) : 0, teamAvailable, budgets);
    }
}

package dev.tally.analytics.account;

import dev.tally.analytics.directory.GovernanceDirectory;
import dev.tally.analytics.forecast.BudgetController;
import dev.tally.analytics.usage.UsageQueries;
import dev.tally.analytics.web.Paging;
import dev.tally.servicekit.auth.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
public class AccountController {

    private final AccountQueries accounts;
    private final UsageQueries usage;
    private final BudgetController budgets;
    private final GovernanceDirectory directory;
    private final Clock clock;

    public AccountController(AccountQueries accounts, UsageQueries usage, BudgetController budgets,
            GovernanceDirectory directory, Clock clock) {
        this.accounts = accounts;
        this.usage = usage;
        this.budgets = budgets;
        this.directory = directory;
        this.clock = clock;
    }

    public record Me(String role, String orgId, String orgName, String keyId) {
    }

    /** Who the dashboard is logged in as, so it can pick the organisation to show. */
    @GetMapping("/me")
    Me me(Caller caller) {
        return new Me(caller.role().name(), caller.orgId(), directory.nameOf("org", caller.orgId()), caller.keyId());
    }

    public record OrgSummary(String id, String name, String status) {
    }

    /** The organisations the caller may look at: all of them for a platform admin, its own for anyone else. */
    @GetMapping("/orgs")
    Map<String, Object> orgs(Caller caller) {
        List<OrgSummary> orgs = directory.orgs().stream()
                .filter(o -> caller.isPlatformAdmin() || o.id().equals(caller.orgId()))
                .map(o -> new OrgSummary(o.id(), o.name(), o.status() == null ? null : o.status().name()))
                .toList();
        if (orgs.isEmpty() && caller.orgId() != null) {
            orgs = List.of(new OrgSummary(caller.orgId(), null, null));
        }
        return Map.of("items", orgs);
    }

    /** The dashboard's first screen: balance, burn rate, days left at that pace, and every budget's fill. */
    @GetMapping("/orgs/{orgId}/overview")
    Mono<Map<String, Object>> overview(Caller caller, @PathVariable String orgId) {
        caller.requireOrg(orgId, "organisation", orgId);
        Instant now = clock.instant();
        return Mono.zip(accounts.balance(orgId), usage.burnRate(orgId, now), budgets.budgetViews(orgId, now))
                .map(t -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("org_id", orgId);
                    body.put("org_name", directory.nameOf("org", orgId));
                    body.put("as_of", now);
                    body.put("balance_credits", t.getT1().balanceCredits());
                    body.put("held_credits", t.getT1().heldCredits());
                    body.put("available_credits", t.getT1().availableCredits());
                    body.put("burn_rate", t.getT2());
                    // From the 7-day total rather than the rounded daily average: 3 credits a week is not "0 a day".
                    long week = t.getT2().creditsLast7d();
                    body.put("days_left", week == 0 ? null : Math.max(0, t.getT1().availableCredits()) * 7 / week);
                    body.put("budgets", t.getT3());
                    return body;
                });
    }

    @GetMapping("/orgs/{orgId}/accounts")
    Mono<Map<String, Object>> accounts(Caller caller, @PathVariable String orgId) {
        caller.requireOrg(orgId, "organisation", orgId);
        return accounts.accounts(orgId).map(list -> Map.of("items", list.stream()
                .map(a -> Map.of("account_id", a.accountId(), "balance_credits", a.balanceCredits(),
                        "owner", String.valueOf(directory.accountOwner(a.accountId()))))
                .toList()));
    }

    /** Reallocation history (Alfred): transfers between accounts, and the ones the ledger refused. */
    @GetMapping("/orgs/{orgId}/transfers")
    Mono<Map<String, Object>> transfers(Caller caller, @PathVariable String orgId,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        caller.requireOrg(orgId, "organisation", orgId);
        Paging paging = Paging.of(limit, offset, 50);
        return accounts.transfers(orgId, paging).map(list -> Map.of("limit", paging.limit(),
                "offset", paging.offset(), "items", list.stream().map(t -> new AccountQueries.Transfer(t.eventId(),
                        t.occurredAt(), t.fromAccountId(), directory.accountOwner(t.fromAccountId()),
                        t.toAccountId(), directory.accountOwner(t.toAccountId()), t.credits(), t.actor(),
                        t.reason(), t.refused())).toList()));
    }

}

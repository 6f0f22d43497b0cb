package dev.tally.gateway.chat;

import dev.tally.events.governance.MemberStatus;
import dev.tally.events.ledger.Priority;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Which accounts a reservation may draw from, in order (the ledger takes from the first until it is empty, then the
 * next). Agents spend from the org pool under their budgets. Users follow seed 002's balancer: their personal
 * allocation first; then, for critical work, their team's pool (with the ledger's critical overdraft); or, while a
 * teammate is on vacation, the team's pool too; otherwise nothing more.
 */
@Component
public class AccountBalancer {

    private final GovernanceView view;

    public AccountBalancer(GovernanceView view) {
        this.view = view;
    }

    public List<String> accounts(Principal principal, Priority priority) {
        if (!principal.isUser()) {
            return List.of(principal.org().poolAccountId());
        }
        List<String> accounts = new ArrayList<>(2);
        accounts.add(principal.member().accountId());
        String teamPool = principal.group() == null ? null : principal.group().poolAccountId();
        if (teamPool != null && (priority == Priority.CRITICAL || teammateOnVacation(principal))) {
            accounts.add(teamPool);
        }
        return accounts;
    }

    private boolean teammateOnVacation(Principal principal) {
        return view.membersOf(principal.group().id()).stream()
                .anyMatch(m -> m.status() == MemberStatus.ON_VACATION && !m.id().equals(principal.member().id()));
    }
}

package dev.tally.gateway.route;

import dev.tally.events.governance.MemberStatus;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.VacationShare;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which accounts a reservation may draw from, in order (the ledger takes from the first until it is empty, then the
 * next). Agents spend from the org pool under their budgets. Users follow TokenPool's balancer: their personal
 * allocation first; then, for critical work, their team's pool (with the ledger's critical overdraft); or, while a
 * teammate is on vacation and the personal allocation cannot cover the request, the team's pool under the
 * vacation-share budget ({@link VacationShare}: 10 % of the pool a month); otherwise nothing more.
 */
@Component
public class AccountBalancer {

    /** A second try for a user whose personal allocation refused: the team pool, capped by the vacation share. */
    public record VacationDraw(List<String> accountIds, Scope scope) {
    }

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
        String teamPool = teamPool(principal);
        if (teamPool != null && priority == Priority.CRITICAL) {
            accounts.add(teamPool);
        }
        return accounts;
    }

    /**
     * Where a user's non-critical request may go when the personal allocation cannot cover it: the team pool alone,
     * so that only what the pool pays counts against the vacation share. Empty unless a teammate is on vacation.
     */
    public Optional<VacationDraw> vacationShare(Principal principal, Priority priority) {
        String teamPool = principal.isUser() && priority != Priority.CRITICAL ? teamPool(principal) : null;
        if (teamPool == null || !teammateOnVacation(principal)) {
            return Optional.empty();
        }
        return Optional.of(new VacationDraw(List.of(teamPool), VacationShare.scope(principal.group().id())));
    }

    private static String teamPool(Principal principal) {
        return principal.group() == null ? null : principal.group().poolAccountId();
    }

    private boolean teammateOnVacation(Principal principal) {
        return view.membersOf(principal.group().id()).stream()
                .anyMatch(m -> m.status() == MemberStatus.ON_VACATION && !m.id().equals(principal.member().id()));
    }
}

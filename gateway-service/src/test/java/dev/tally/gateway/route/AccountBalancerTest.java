package dev.tally.gateway.route;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.state.GovernanceView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tally.gateway.support.StateRecords.TEAM;
import static dev.tally.gateway.support.StateRecords.agent;
import static dev.tally.gateway.support.StateRecords.key;
import static dev.tally.gateway.support.StateRecords.org;
import static dev.tally.gateway.support.StateRecords.team;
import static dev.tally.gateway.support.StateRecords.user;
import static dev.tally.gateway.support.StateRecords.workspace;
import static org.assertj.core.api.Assertions.assertThat;

class AccountBalancerTest {

    private final OrgState org = org(EntityStatus.ACTIVE);
    private final WorkspaceState workspace = workspace(EntityStatus.ACTIVE);
    private final GroupState team = team(TEAM, EntityStatus.ACTIVE);
    private final GovernanceView view = new GovernanceView();
    private final AccountBalancer balancer = new AccountBalancer(view);

    private void apply(GovernanceState... states) {
        for (var state : states) {
            view.apply(state.stateKey(), state);
        }
    }

    private Principal principal(MemberState member, GroupState group) {
        apply(org, workspace, member);
        if (group != null) {
            apply(group);
        }
        return new Principal(key("cpk_test_" + member.id(), member.id(), KeyStatus.ACTIVE), member, group, workspace,
                org, List.of());
    }

    @Test
    void an_agent_spends_from_the_org_pool_only() {
        Principal caller = principal(agent("bot", TEAM), team);

        assertThat(balancer.accounts(caller, Priority.CRITICAL)).containsExactly("acct-org-pool");
    }

    @Test
    void a_user_spends_from_the_personal_account() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);
        apply(user("bob", TEAM, MemberStatus.ACTIVE));

        assertThat(balancer.accounts(caller, Priority.NORMAL)).containsExactly("acct-alice");
    }

    @Test
    void critical_work_adds_the_team_pool_after_the_personal_account() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);

        assertThat(balancer.accounts(caller, Priority.CRITICAL)).containsExactly("acct-alice", "acct-pool-team-1");
    }

    @Test
    void a_teammate_on_vacation_offers_the_team_pool_alone_under_the_vacation_share_budget() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);
        apply(user("bob", TEAM, MemberStatus.ON_VACATION));

        // First the personal allocation alone: what it covers must not count against the vacation share.
        assertThat(balancer.accounts(caller, Priority.NORMAL)).containsExactly("acct-alice");
        assertThat(balancer.vacationShare(caller, Priority.NORMAL)).get().satisfies(draw -> {
            assertThat(draw.accountIds()).containsExactly("acct-pool-team-1");
            assertThat(draw.scope()).isEqualTo(new Scope(ScopeLevel.GROUP, "vacation-share:" + TEAM));
        });
    }

    @Test
    void critical_work_needs_no_vacation_share() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);
        apply(user("bob", TEAM, MemberStatus.ON_VACATION));

        assertThat(balancer.vacationShare(caller, Priority.CRITICAL)).isEmpty();
    }

    @Test
    void being_on_vacation_oneself_does_not_offer_the_team_pool() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ON_VACATION), team);
        apply(user("bob", TEAM, MemberStatus.ACTIVE));

        assertThat(balancer.accounts(caller, Priority.NORMAL)).containsExactly("acct-alice");
        assertThat(balancer.vacationShare(caller, Priority.NORMAL)).isEmpty();
    }

    @Test
    void a_vacationer_in_another_team_does_not_offer_the_team_pool() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);
        apply(team("team-2", EntityStatus.ACTIVE), user("carol", "team-2", MemberStatus.ON_VACATION));

        assertThat(balancer.vacationShare(caller, Priority.NORMAL)).isEmpty();
    }

    @Test
    void a_teammate_back_from_vacation_no_longer_offers_the_team_pool() {
        Principal caller = principal(user("alice", TEAM, MemberStatus.ACTIVE), team);
        apply(user("bob", TEAM, MemberStatus.ON_VACATION));
        apply(user("bob", TEAM, MemberStatus.ACTIVE));

        assertThat(balancer.vacationShare(caller, Priority.NORMAL)).isEmpty();
    }

    @Test
    void an_agent_has_no_vacation_share() {
        Principal caller = principal(agent("bot", TEAM), team);
        apply(user("bob", TEAM, MemberStatus.ON_VACATION));

        assertThat(balancer.vacationShare(caller, Priority.NORMAL)).isEmpty();
    }

    @Test
    void a_user_without_a_team_spends_from_the_personal_account_even_when_critical() {
        Principal caller = principal(user("alice", null, MemberStatus.ACTIVE), null);

        assertThat(balancer.accounts(caller, Priority.CRITICAL)).containsExactly("acct-alice");
    }
}

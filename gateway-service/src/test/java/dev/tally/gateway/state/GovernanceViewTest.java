package dev.tally.gateway.state;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.governance.ProjectMemberState;
import dev.tally.events.governance.BudgetState;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.servicekit.auth.KeyHash;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static dev.tally.gateway.support.StateRecords.ORG;
import static dev.tally.gateway.support.StateRecords.key;
import static dev.tally.gateway.support.StateRecords.sha256Hex;
import static dev.tally.gateway.support.StateRecords.team;
import static dev.tally.gateway.support.StateRecords.user;
import static org.assertj.core.api.Assertions.assertThat;

class GovernanceViewTest {

    private static final Scope TEAM_1 = new Scope(ScopeLevel.GROUP, "team-1");
    private static final Scope TEAM_2 = new Scope(ScopeLevel.GROUP, "team-2");

    private final GovernanceView view = new GovernanceView();

    private void apply(GovernanceState state) {
        view.apply(state.stateKey(), state);
    }

    private static PolicyState policy(Scope target) {
        return new PolicyState("policy-1", ORG, target, "models", List.of("gpt-4o-mini"), null, null, null, null,
                null, null, null, Instant.EPOCH);
    }

    private static PriceState price(String input) {
        return new PriceState("openai", "gpt-4o-mini", new BigDecimal(input), new BigDecimal("0.0006"),
                Instant.EPOCH);
    }

    private static CredentialState credential(String id, String provider, KeyStatus status, Instant updatedAt) {
        return new CredentialState(id, ORG, provider, "prod", "sealed-" + id, "abcd", status, updatedAt);
    }

    @Test
    void platform_admin_keys_on_the_state_topic_open_the_actuator_until_their_tombstone() {
        AdminKeyState platform = new AdminKeyState(KeyHash.of("tadm_platform-operator"), "ak-1", null,
                AdminRole.PLATFORM_ADMIN, KeyStatus.ACTIVE, Instant.EPOCH);

        apply(platform);

        assertThat(view.adminKeys().authenticate("tadm_platform-operator")).hasValueSatisfying(caller ->
                assertThat(caller.isPlatformAdmin()).isTrue());
        view.apply(platform.stateKey(), null);
        assertThat(view.adminKeys().authenticate("tadm_platform-operator")).isEmpty();
    }

    @Test
    void a_member_moved_to_another_group_is_listed_only_under_the_new_one() {
        apply(team("team-1", EntityStatus.ACTIVE));
        apply(team("team-2", EntityStatus.ACTIVE));
        apply(user("alice", "team-1", MemberStatus.ACTIVE));

        apply(user("alice", "team-2", MemberStatus.ACTIVE));

        assertThat(view.membersOf("team-1")).isEmpty();
        assertThat(view.membersOf("team-2")).extracting(MemberState::id).containsExactly("alice");
        assertThat(view.member("alice")).get().extracting(MemberState::groupId).isEqualTo("team-2");
    }

    @Test
    void a_member_replaced_in_the_same_group_is_listed_once_with_its_new_state() {
        apply(user("alice", "team-1", MemberStatus.ACTIVE));

        apply(user("alice", "team-1", MemberStatus.ON_VACATION));

        assertThat(view.membersOf("team-1")).extracting(MemberState::status)
                .containsExactly(MemberStatus.ON_VACATION);
    }

    @Test
    void a_member_tombstone_removes_it_from_its_group() {
        MemberState alice = user("alice", "team-1", MemberStatus.ACTIVE);
        apply(alice);

        view.apply(alice.stateKey(), null);

        assertThat(view.member("alice")).isEmpty();
        assertThat(view.membersOf("team-1")).isEmpty();
    }

    @Test
    void a_project_admits_its_members_and_everyone_in_its_member_groups_only() {
        apply(new ProjectMemberState("apollo", ORG, new Scope(ScopeLevel.MEMBER, "alice"), Instant.EPOCH));
        apply(new ProjectMemberState("apollo", ORG, TEAM_2, Instant.EPOCH));

        assertThat(view.admitsToProject("apollo", user("alice", "team-1", MemberStatus.ACTIVE))).isTrue();
        assertThat(view.admitsToProject("apollo", user("bob", "team-2", MemberStatus.ACTIVE))).isTrue();
        assertThat(view.admitsToProject("apollo", user("carol", "team-1", MemberStatus.ACTIVE))).isFalse();
        assertThat(view.admitsToProject("apollo", user("dave", null, MemberStatus.ACTIVE))).isFalse();
        assertThat(view.admitsToProject("gemini", user("alice", "team-1", MemberStatus.ACTIVE))).isFalse();
    }

    @Test
    void a_project_member_tombstone_no_longer_admits_the_member() {
        ProjectMemberState alice = new ProjectMemberState("apollo", ORG, new Scope(ScopeLevel.MEMBER, "alice"),
                Instant.EPOCH);
        apply(alice);

        view.apply(alice.stateKey(), null);

        assertThat(view.admitsToProject("apollo", user("alice", "team-1", MemberStatus.ACTIVE))).isFalse();
    }

    @Test
    void a_retargeted_policy_is_found_only_at_its_new_target() {
        apply(policy(TEAM_1));

        apply(policy(TEAM_2));

        assertThat(view.policiesAt(TEAM_1)).isEmpty();
        assertThat(view.policiesAt(TEAM_2)).extracting(PolicyState::id).containsExactly("policy-1");
    }

    @Test
    void a_rescoped_budget_is_found_only_at_its_new_scope() {
        BudgetState before = new BudgetState("budget-1", ORG, TEAM_1, BudgetPeriod.DAILY, 100, List.of(80), false,
                Instant.EPOCH);
        BudgetState after = new BudgetState("budget-1", ORG, TEAM_2, BudgetPeriod.DAILY, 200, List.of(80), false,
                Instant.EPOCH);
        apply(before);

        apply(after);

        assertThat(view.budgetsAt(TEAM_1)).isEmpty();
        assertThat(view.budgetsAt(TEAM_2)).containsExactly(after);
        assertThat(view.budget("budget-1")).contains(after);
    }

    @Test
    void a_replaced_price_answers_with_the_new_values() {
        apply(price("0.00015"));

        apply(price("0.0002"));

        assertThat(view.price("gpt-4o-mini")).get().extracting(PriceState::inputUsdPer1k)
                .isEqualTo(new BigDecimal("0.0002"));
        assertThat(view.prices()).hasSize(1);
    }

    @Test
    void a_price_tombstone_removes_the_price() {
        PriceState price = price("0.00015");
        apply(price);

        view.apply(price.stateKey(), null);

        assertThat(view.price("gpt-4o-mini")).isEmpty();
        assertThat(view.prices()).isEmpty();
    }

    @Test
    void a_key_tombstone_removes_the_key() {
        ApiKeyState apiKey = key("cpk_live_secret", "alice", KeyStatus.ACTIVE);
        apply(apiKey);

        view.apply(apiKey.stateKey(), null);

        assertThat(view.key(sha256Hex("cpk_live_secret"))).isEmpty();
    }

    @Test
    void a_tombstone_for_an_unknown_key_changes_nothing() {
        apply(price("0.00015"));

        view.apply("price:openai/unknown", null);

        assertThat(view.price("gpt-4o-mini")).isPresent();
    }

    @Test
    void the_credential_for_a_provider_ignores_revoked_ones() {
        apply(credential("cred-old", "openai", KeyStatus.ACTIVE, Instant.parse("2025-01-01T00:00:00Z")));
        apply(credential("cred-new", "openai", KeyStatus.REVOKED, Instant.parse("2025-02-01T00:00:00Z")));

        assertThat(view.credential(ORG, "openai")).get().extracting(CredentialState::id).isEqualTo("cred-old");
    }

    @Test
    void a_credential_revoked_in_place_is_no_longer_used() {
        apply(credential("cred-1", "openai", KeyStatus.ACTIVE, Instant.parse("2025-01-01T00:00:00Z")));

        apply(credential("cred-1", "openai", KeyStatus.REVOKED, Instant.parse("2025-01-02T00:00:00Z")));

        assertThat(view.credential(ORG, "openai")).isEmpty();
    }

    @Test
    void the_newest_active_credential_wins() {
        apply(credential("cred-1", "openai", KeyStatus.ACTIVE, Instant.parse("2025-01-01T00:00:00Z")));
        apply(credential("cred-2", "openai", KeyStatus.ACTIVE, Instant.parse("2025-03-01T00:00:00Z")));

        assertThat(view.credential(ORG, "openai")).get().extracting(CredentialState::id).isEqualTo("cred-2");
    }

    @Test
    void a_credential_is_only_for_its_provider_and_org() {
        apply(credential("cred-1", "anthropic", KeyStatus.ACTIVE, Instant.EPOCH));

        assertThat(view.credential(ORG, "openai")).isEmpty();
        assertThat(view.credential("org-2", "anthropic")).isEmpty();
        assertThat(view.credential(ORG, "anthropic")).isPresent();
    }

    @Test
    void revoked_keys_leave_memory_however_many_the_topic_holds() {
        for (int i = 0; i < 100_000; i++) {
            apply(key("cpk_revoked-" + i, "alice", KeyStatus.ACTIVE));
            apply(key("cpk_revoked-" + i, "alice", KeyStatus.REVOKED));
        }

        assertThat(view.size()).isZero();
        assertThat(view.indexEntries()).isZero();
        assertThat(view.key(sha256Hex("cpk_revoked-7"))).isEmpty();
    }

    @Test
    void a_key_is_forgotten_by_the_sweep_after_its_expiry_and_comes_back_with_a_new_one() {
        Instant expiry = Instant.parse("2025-05-01T00:00:00Z");
        apply(key("cpk_short", "alice", KeyStatus.ACTIVE, expiry));
        apply(key("cpk_forever", "alice", KeyStatus.ACTIVE, null));

        view.forgetKeysExpiredBefore(expiry);
        assertThat(view.key(sha256Hex("cpk_short"))).as("not yet past").isPresent();
        view.forgetKeysExpiredBefore(expiry.plusSeconds(1));

        assertThat(view.key(sha256Hex("cpk_short"))).isEmpty();
        assertThat(view.key(sha256Hex("cpk_forever"))).isPresent();
        assertThat(view.size()).isEqualTo(1);
        apply(key("cpk_short", "alice", KeyStatus.ACTIVE, expiry.plusSeconds(3600)));
        assertThat(view.key(sha256Hex("cpk_short"))).isPresent();
    }

    @Test
    void revoked_credentials_leave_memory_and_each_organisation_is_looked_up_alone() {
        for (int i = 0; i < 1_000; i++) {
            apply(new CredentialState("cred-" + i, "org-" + i, "openai", "prod", "sealed", "abcd", KeyStatus.ACTIVE,
                    Instant.EPOCH));
        }
        for (int i = 0; i < 1_000; i++) {
            apply(new CredentialState("cred-" + i, "org-" + i, "openai", "prod", "sealed", "abcd", KeyStatus.REVOKED,
                    Instant.EPOCH.plusSeconds(1)));
        }

        assertThat(view.size()).isZero();
        assertThat(view.indexEntries()).as("no organisation's empty entry stays").isZero();
        apply(credential("cred-a", "openai", KeyStatus.ACTIVE, Instant.EPOCH));
        assertThat(view.credential(ORG, "openai")).isPresent();
        assertThat(view.credential("org-7", "openai")).isEmpty();
    }

    @Test
    void an_index_entry_goes_with_its_last_record() {
        MemberState alice = user("alice", "team-1", MemberStatus.ACTIVE);
        PolicyState policy = policy(TEAM_1);
        BudgetState budget = new BudgetState("budget-1", ORG, TEAM_1, BudgetPeriod.DAILY, 100, List.of(80), false,
                Instant.EPOCH);
        ProjectMemberState admitted = new ProjectMemberState("project-1", ORG,
                new Scope(ScopeLevel.MEMBER, "alice"), Instant.EPOCH);
        for (GovernanceState state : List.of(alice, policy, budget, admitted)) {
            apply(state);
        }
        assertThat(view.indexEntries()).isPositive();

        for (GovernanceState state : List.of(alice, policy, budget, admitted)) {
            view.apply(state.stateKey(), null);
        }

        assertThat(view.size()).isZero();
        assertThat(view.indexEntries()).isZero();
    }
}

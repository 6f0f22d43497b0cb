package dev.tally.gateway.auth;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Instant;

import static dev.tally.gateway.support.StateRecords.ORG;
import static dev.tally.gateway.support.StateRecords.TEAM;
import static dev.tally.gateway.support.StateRecords.WORKSPACE;
import static dev.tally.gateway.support.StateRecords.key;
import static dev.tally.gateway.support.StateRecords.org;
import static dev.tally.gateway.support.StateRecords.team;
import static dev.tally.gateway.support.StateRecords.user;
import static dev.tally.gateway.support.StateRecords.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class KeyAuthenticatorTest {

    private static final String KEY = "cpk_live_0123456789abcdefWXYZ";

    private final GovernanceView view = new GovernanceView();
    private final KeyAuthenticator authenticator = new KeyAuthenticator(view);

    private void apply(GovernanceState... states) {
        for (GovernanceState state : states) {
            view.apply(state.stateKey(), state);
        }
    }

    /** An active org, workspace, team, user "alice" in it, and her active key {@link #KEY}. */
    private void activeChain() {
        apply(org(EntityStatus.ACTIVE), workspace(EntityStatus.ACTIVE), team(TEAM, EntityStatus.ACTIVE),
                user("alice", TEAM, MemberStatus.ACTIVE), key(KEY, "alice", KeyStatus.ACTIVE));
    }

    private GatewayException refusal(String authorization) {
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> authenticator.authenticate(authorization));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }

    @Test
    void an_active_key_resolves_to_its_member_with_the_chain_from_org_to_member() {
        activeChain();

        Principal principal = authenticator.authenticate("Bearer " + KEY);

        assertThat(principal.member().id()).isEqualTo("alice");
        assertThat(principal.chain()).containsExactly(new Scope(ScopeLevel.ORG, ORG),
                new Scope(ScopeLevel.WORKSPACE, WORKSPACE), new Scope(ScopeLevel.GROUP, TEAM),
                new Scope(ScopeLevel.MEMBER, "alice"));
    }

    @Test
    void a_member_without_a_group_has_no_group_on_its_chain() {
        apply(org(EntityStatus.ACTIVE), workspace(EntityStatus.ACTIVE), user("solo", null, MemberStatus.ACTIVE),
                key(KEY, "solo", KeyStatus.ACTIVE));

        Principal principal = authenticator.authenticate("Bearer " + KEY);

        assertThat(principal.group()).isNull();
        assertThat(principal.chain()).extracting(Scope::level)
                .containsExactly(ScopeLevel.ORG, ScopeLevel.WORKSPACE, ScopeLevel.MEMBER);
    }

    @Test
    void a_member_on_vacation_may_still_call() {
        activeChain();
        apply(user("alice", TEAM, MemberStatus.ON_VACATION));

        assertThat(authenticator.authenticate("Bearer " + KEY).member().id()).isEqualTo("alice");
    }

    @Test
    void the_scheme_bearer_is_case_insensitive() {
        activeChain();

        assertThat(authenticator.authenticate("bearer " + KEY).member().id()).isEqualTo("alice");
    }

    @Test
    void an_unknown_key_is_401() {
        activeChain();

        GatewayException refused = refusal("Bearer cpk_live_not_a_key");

        assertThat(refused.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(refused.code()).isEqualTo("invalid_api_key");
    }

    @Test
    void the_key_is_found_by_the_hash_of_the_whole_key_only() {
        activeChain();

        assertThat(refusal("Bearer " + KEY.substring(0, KEY.length() - 1)).status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void a_revoked_key_is_401() {
        activeChain();
        apply(key(KEY, "alice", KeyStatus.REVOKED));

        assertThat(refusal("Bearer " + KEY).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void a_key_past_its_expiry_is_401_without_any_new_state_record() {
        activeChain();
        apply(key(KEY, "alice", KeyStatus.ACTIVE, Instant.now().minusSeconds(1)));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(refused.code()).isEqualTo("invalid_api_key");
        assertThat(refused.getMessage()).contains("expired");
    }

    @Test
    void a_key_before_its_expiry_authenticates() {
        activeChain();
        apply(key(KEY, "alice", KeyStatus.ACTIVE, Instant.now().plusSeconds(60)));

        assertThat(authenticator.authenticate("Bearer " + KEY).member().id()).isEqualTo("alice");
    }

    @Test
    void a_missing_authorization_header_is_401() {
        activeChain();

        assertThat(refusal(null).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void a_key_without_the_bearer_scheme_is_401() {
        activeChain();

        assertThat(refusal(KEY).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(refusal("Basic " + KEY).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void a_disabled_member_is_403() {
        activeChain();
        apply(user("alice", TEAM, MemberStatus.DISABLED));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("member_disabled");
    }

    @Test
    void a_suspended_member_is_403() {
        activeChain();
        apply(user("alice", TEAM, MemberStatus.SUSPENDED));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("member_disabled");
    }

    @Test
    void a_member_disabled_by_an_exhausted_budget_is_402() {
        activeChain();
        apply(user("alice", TEAM, MemberStatus.BUDGET_EXHAUSTED));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.PAYMENT_REQUIRED);
        assertThat(refused.code()).isEqualTo("budget_exhausted");
    }

    @Test
    void an_inactive_org_is_403() {
        activeChain();
        apply(org(EntityStatus.INACTIVE));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("org_inactive");
    }

    @Test
    void an_inactive_workspace_is_403() {
        activeChain();
        apply(workspace(EntityStatus.INACTIVE));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("workspace_inactive");
    }

    @Test
    void an_inactive_group_is_403() {
        activeChain();
        apply(team(TEAM, EntityStatus.INACTIVE));

        GatewayException refused = refusal("Bearer " + KEY);

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("group_inactive");
    }

    @Test
    void a_flood_of_unknown_keys_is_refused_and_leaves_nothing_in_memory() {
        activeChain();
        int held = view.size();

        for (int i = 0; i < 100_000; i++) {
            assertThat(refusal("Bearer cpk_unknown-" + i).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }

        assertThat(view.size()).isEqualTo(held);
    }
}

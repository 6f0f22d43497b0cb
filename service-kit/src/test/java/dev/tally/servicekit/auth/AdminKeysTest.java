package dev.tally.servicekit.auth;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.OrgState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AdminKeysTest {

    private final AdminKeys keys = new AdminKeys();

    static AdminKeyState state(String key, String orgId, AdminRole role, KeyStatus status) {
        return new AdminKeyState(KeyHash.of(key), "ak-" + key, orgId, role, status, Instant.now());
    }

    private void publish(AdminKeyState state) {
        keys.apply(state.stateKey(), state);
    }

    @Test
    void an_expired_key_authenticates_nothing_without_any_record_arriving_at_its_expiry() {
        Instant now = Instant.now();
        publish(new AdminKeyState(KeyHash.of("tadm_gone"), "ak-gone", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE,
                now.minusSeconds(60), now.minusSeconds(1)));
        publish(new AdminKeyState(KeyHash.of("tadm_later"), "ak-later", "org-1", AdminRole.ORG_ADMIN,
                KeyStatus.ACTIVE, now.minusSeconds(60), now.plusSeconds(3600)));

        assertThat(keys.authenticate("tadm_gone")).isEmpty();
        assertThat(keys.authenticate("tadm_later")).isPresent();
    }

    @Test
    void an_active_org_key_authenticates_as_its_role_organisation_and_id() {
        publish(state("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE));

        assertThat(keys.authenticate("tadm_owner")).contains(new Caller(AdminRole.ORG_OWNER, "org-1", "ak-tadm_owner"));
    }

    @Test
    void a_platform_key_authenticates_with_no_organisation() {
        publish(state("tadm_platform", "org-ignored", AdminRole.PLATFORM_ADMIN, KeyStatus.ACTIVE));

        assertThat(keys.authenticate("tadm_platform")).hasValueSatisfying(caller -> {
            assertThat(caller.isPlatformAdmin()).isTrue();
            assertThat(caller.orgId()).isNull();
        });
    }

    @Test
    void a_revoked_key_authenticates_nothing() {
        publish(state("tadm_gone", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE));
        publish(state("tadm_gone", "org-1", AdminRole.ORG_ADMIN, KeyStatus.REVOKED));

        assertThat(keys.authenticate("tadm_gone")).isEmpty();
    }

    @Test
    void a_tombstone_removes_the_key() {
        AdminKeyState state = state("tadm_deleted", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE);
        publish(state);

        keys.remove(state.stateKey());

        assertThat(keys.authenticate("tadm_deleted")).isEmpty();
    }

    @Test
    void a_tombstone_of_another_kind_of_state_leaves_the_keys_alone() {
        publish(state("tadm_kept", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE));

        keys.remove("org:" + KeyHash.of("tadm_kept"));

        assertThat(keys.authenticate("tadm_kept")).isPresent();
    }

    @Test
    void other_states_are_ignored() {
        keys.apply("org:org-1", new OrgState("org-1", "Acme", "acme", EntityStatus.ACTIVE, "org-1", "org-1", 100,
                Instant.now()));

        assertThat(keys.authenticate("tadm_anything")).isEmpty();
    }

    @Test
    void an_unknown_key_authenticates_nothing() {
        assertThat(keys.authenticate("tadm_never-published")).isEmpty();
    }

    @Test
    void a_gateway_key_is_not_an_admin_key_even_if_its_hash_were_published() {
        publish(state("cpk_user", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE));

        assertThat(keys.authenticate("cpk_user")).isEmpty();
    }

    @Test
    void an_org_key_that_names_no_organisation_is_not_trusted() {
        publish(state("tadm_orphan", null, AdminRole.ORG_ADMIN, KeyStatus.ACTIVE));

        assertThat(keys.authenticate("tadm_orphan")).isEmpty();
    }

    @Test
    void revoked_and_expired_keys_leave_memory_and_unknown_keys_add_nothing() {
        for (int i = 0; i < 100_000; i++) {
            publish(state("tadm_revoked-" + i, "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE));
            publish(state("tadm_revoked-" + i, "org-1", AdminRole.ORG_ADMIN, KeyStatus.REVOKED));
        }
        Instant now = Instant.now();
        publish(new AdminKeyState(KeyHash.of("tadm_gone"), "ak-gone", "org-1", AdminRole.ORG_ADMIN, KeyStatus.ACTIVE,
                now.minusSeconds(60), now.minusSeconds(1)));
        publish(state("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE));
        assertThat(keys.size()).isEqualTo(2);

        assertThat(keys.authenticate("tadm_gone")).isEmpty();
        for (int i = 0; i < 100_000; i++) {
            assertThat(keys.authenticate("tadm_unknown-" + i)).isEmpty();
        }

        assertThat(keys.size()).isEqualTo(1);
        assertThat(keys.authenticate("tadm_owner")).isPresent();
    }
}

package dev.tally.governance.auth;

import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

class CallerTest {

    private static final Caller PLATFORM_ADMIN = new Caller(Role.PLATFORM_ADMIN, null, null, null, "key-p");
    private static final Caller OWNER_OF_A = new Caller(Role.ORG_OWNER, "org-a", null, null, "key-o");
    private static final Caller ADMIN_OF_A = new Caller(Role.ORG_ADMIN, "org-a", null, null, "key-a");
    private static final Caller GROUP_ADMIN_OF_A = new Caller(Role.GROUP_ADMIN, "org-a", "user-g", "team-1", "key-g");
    private static final Caller MEMBER_OF_A = new Caller(Role.MEMBER, "org-a", "user-m", null, "key-m");
    private static final Caller AGENT_OF_A = new Caller(Role.AGENT, "org-a", "agent-1", null, "key-x");

    @Test
    void a_platform_admin_administers_any_organisation() {
        assertThat(PLATFORM_ADMIN.administers("org-a")).isTrue();
        assertThat(PLATFORM_ADMIN.administers("org-b")).isTrue();
    }

    @Test
    void a_platform_admin_passes_the_org_admin_check_of_any_organisation() {
        assertDoesNotThrow(() -> PLATFORM_ADMIN.requireOrgAdmin("org-b", "workspace", "ws-1"));
    }

    @Test
    void a_platform_admin_passes_the_org_owner_check_of_any_organisation() {
        assertDoesNotThrow(() -> PLATFORM_ADMIN.requireOrgOwner("org-b", "admin key", "key-1"));
    }

    @Test
    void an_org_admin_administers_its_own_organisation() {
        assertThat(ADMIN_OF_A.administers("org-a")).isTrue();
        assertDoesNotThrow(() -> ADMIN_OF_A.requireOrgAdmin("org-a", "workspace", "ws-1"));
    }

    @Test
    void an_org_admin_does_not_administer_another_organisation() {
        assertThat(ADMIN_OF_A.administers("org-b")).isFalse();
    }

    @Test
    void an_org_admin_learns_nothing_about_another_organisation_it_gets_404() {
        assertStatus(() -> ADMIN_OF_A.requireOrgAdmin("org-b", "workspace", "ws-9"), HttpStatus.NOT_FOUND,
                "workspace ws-9 not found");
    }

    @Test
    void an_org_owner_gets_404_for_another_organisations_admin_keys() {
        assertStatus(() -> OWNER_OF_A.requireOrgOwner("org-b", "admin key", "key-9"), HttpStatus.NOT_FOUND,
                "admin key key-9 not found");
    }

    @Test
    void a_member_gets_403_in_its_own_organisation() {
        assertStatus(() -> MEMBER_OF_A.requireOrgAdmin("org-a", "workspace", "ws-1"), HttpStatus.FORBIDDEN,
                "member key");
    }

    @Test
    void a_member_gets_404_in_another_organisation() {
        assertStatus(() -> MEMBER_OF_A.requireOrgAdmin("org-b", "workspace", "ws-9"), HttpStatus.NOT_FOUND,
                "ws-9");
    }

    @Test
    void an_agent_gets_403_in_its_own_organisation() {
        assertStatus(() -> AGENT_OF_A.requireOrgAdmin("org-a", "workspace", "ws-1"), HttpStatus.FORBIDDEN,
                "agent key");
    }

    @Test
    void an_org_admin_cannot_manage_admin_keys() {
        assertStatus(() -> ADMIN_OF_A.requireOrgOwner("org-a", "admin key", "key-1"), HttpStatus.FORBIDDEN,
                "owner");
    }

    @Test
    void an_org_owner_can_manage_admin_keys() {
        assertDoesNotThrow(() -> OWNER_OF_A.requireOrgOwner("org-a", "admin key", "key-1"));
    }

    @Test
    void a_group_admin_passes_the_group_admin_check_for_its_own_team() {
        assertDoesNotThrow(() -> GROUP_ADMIN_OF_A.requireGroupAdmin("org-a", "team-1", "approval", "ap-1"));
    }

    @Test
    void a_group_admin_gets_403_for_another_team_of_its_organisation() {
        assertStatus(() -> GROUP_ADMIN_OF_A.requireGroupAdmin("org-a", "team-2", "approval", "ap-1"),
                HttpStatus.FORBIDDEN, "group admin key");
    }

    @Test
    void a_group_admin_gets_403_for_something_of_no_team() {
        assertStatus(() -> GROUP_ADMIN_OF_A.requireGroupAdmin("org-a", null, "approval", "ap-1"),
                HttpStatus.FORBIDDEN, "group admin key");
    }

    @Test
    void a_group_admin_gets_404_for_a_team_with_the_same_id_in_another_organisation() {
        assertStatus(() -> GROUP_ADMIN_OF_A.requireGroupAdmin("org-b", "team-1", "approval", "ap-1"),
                HttpStatus.NOT_FOUND, "ap-1");
    }

    @Test
    void a_group_admin_is_not_an_org_admin() {
        assertStatus(() -> GROUP_ADMIN_OF_A.requireOrgAdmin("org-a", "workspace", "ws-1"), HttpStatus.FORBIDDEN,
                "group admin key");
    }

    @Test
    void an_org_admin_passes_the_group_admin_check_for_any_team_of_its_organisation() {
        assertDoesNotThrow(() -> ADMIN_OF_A.requireGroupAdmin("org-a", "team-2", "approval", "ap-1"));
    }

    @Test
    void a_member_does_not_pass_the_group_admin_check() {
        assertStatus(() -> MEMBER_OF_A.requireGroupAdmin("org-a", "team-1", "approval", "ap-1"),
                HttpStatus.FORBIDDEN, "member key");
    }

    @Test
    void a_platform_admin_passes_the_platform_admin_check() {
        assertDoesNotThrow(PLATFORM_ADMIN::requirePlatformAdmin);
    }

    @Test
    void an_org_owner_gets_403_from_the_platform_admin_check() {
        assertStatus(OWNER_OF_A::requirePlatformAdmin, HttpStatus.FORBIDDEN, "platform admin");
    }

    @Test
    void a_member_is_a_user_and_gets_its_member_id() {
        assertThat(MEMBER_OF_A.requireUser()).isEqualTo("user-m");
    }

    @Test
    void a_group_admin_is_a_user_and_gets_its_member_id() {
        assertThat(GROUP_ADMIN_OF_A.requireUser()).isEqualTo("user-g");
    }

    @Test
    void an_admin_key_is_not_a_user() {
        assertStatus(OWNER_OF_A::requireUser, HttpStatus.FORBIDDEN, "cpk_");
        assertStatus(PLATFORM_ADMIN::requireUser, HttpStatus.FORBIDDEN, "cpk_");
    }

    @Test
    void an_agent_is_not_a_user() {
        assertStatus(AGENT_OF_A::requireUser, HttpStatus.FORBIDDEN, "cpk_");
    }

    @Test
    void a_member_acts_as_member_and_its_id() {
        assertThat(MEMBER_OF_A.actor()).isEqualTo("member:user-m");
    }

    @Test
    void an_admin_key_acts_as_admin_key_and_its_id() {
        assertThat(ADMIN_OF_A.actor()).isEqualTo("admin-key:key-a");
    }

    private static void assertStatus(Executable call, HttpStatus status, String messagePart) {
        assertThatThrownBy(call::execute)
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(messagePart);
    }
}

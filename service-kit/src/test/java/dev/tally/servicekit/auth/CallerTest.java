package dev.tally.servicekit.auth;

import dev.tally.events.governance.AdminRole;
import dev.tally.servicekit.web.ApiError;
import dev.tally.servicekit.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CallerTest {

    private final Caller platform = new Caller(AdminRole.PLATFORM_ADMIN, null, "ak-p");
    private final Caller owner = new Caller(AdminRole.ORG_OWNER, "org-1", "ak-o");
    private final Caller admin = new Caller(AdminRole.ORG_ADMIN, "org-1", "ak-a");

    @Test
    void the_organisations_own_owner_and_admin_are_admitted() {
        assertThatCode(() -> owner.requireOrg("org-1", "ledger", "org-1")).doesNotThrowAnyException();
        assertThatCode(() -> admin.requireOrg("org-1", "ledger", "org-1")).doesNotThrowAnyException();
    }

    @Test
    void a_platform_admin_is_admitted_to_every_organisation() {
        assertThatCode(() -> platform.requireOrg("org-anything", "ledger", "org-anything"))
                .doesNotThrowAnyException();
    }

    @Test
    void another_organisations_admin_gets_exactly_the_404_of_an_unknown_id() {
        ApiException foreign = catchThrowableOfType(ApiException.class,
                () -> admin.requireOrg("org-2", "ledger", "org-2"));
        ApiException unknown = ApiException.notFound("ledger", "org-2");

        assertThat(foreign.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(ApiError.of(foreign)).isEqualTo(ApiError.of(unknown));
    }

    @Test
    void a_missing_organisation_is_nobodys_but_the_platform_admins() {
        assertThat(admin.administers(null)).isFalse();
        assertThat(platform.administers(null)).isTrue();
    }

    @Test
    void an_org_admin_lists_its_own_organisation_when_it_names_none_or_its_own() {
        assertThat(admin.orgFor(null)).isEqualTo("org-1");
        assertThat(admin.orgFor("org-1")).isEqualTo("org-1");
    }

    @Test
    void an_org_admin_naming_another_organisation_is_refused_as_invalid_without_saying_whether_it_exists() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> admin.orgFor("org-2"));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.field()).isEqualTo("org_id");
    }

    @Test
    void a_platform_admin_must_name_the_organisation() {
        assertThat(platform.orgFor("org-9")).isEqualTo("org-9");
        ApiException e = catchThrowableOfType(ApiException.class, () -> platform.orgFor(" "));

        assertThat(e.code()).isEqualTo("missing_field");
        assertThat(e.field()).isEqualTo("org_id");
    }

    @Test
    void only_a_platform_admin_passes_the_platform_check() {
        assertThatCode(platform::requirePlatformAdmin).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(ApiException.class, owner::requirePlatformAdmin).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void the_actor_names_the_key_not_the_secret() {
        assertThat(owner.actor()).isEqualTo("admin-key:ak-o");
    }
}

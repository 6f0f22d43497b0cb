package dev.tally.analytics.auth;

import dev.tally.analytics.web.ApiException;
import dev.tally.events.governance.AdminRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    @Test
    void org_admins_see_only_their_org_and_a_foreign_org_looks_unknown() {
        Caller admin = new Caller(AdminRole.ORG_ADMIN, "acme", "k1");
        assertThatCode(() -> admin.requireOrg("acme")).doesNotThrowAnyException();
        assertThatThrownBy(() -> admin.requireOrg("globex"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("organisation globex not found");
                });
    }

    @Test
    void platform_admins_see_every_org_and_only_they_rebuild() {
        Caller platform = new Caller(AdminRole.PLATFORM_ADMIN, null, "p");
        assertThatCode(() -> platform.requireOrg("anything")).doesNotThrowAnyException();
        assertThatCode(platform::requirePlatformAdmin).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Caller(AdminRole.ORG_OWNER, "acme", "k").requirePlatformAdmin())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(403));
    }

    @Test
    void key_hash_is_lower_case_hex_sha256_of_the_whole_key() {
        // echo -n tadm_abc | sha256sum
        assertThat(AdminKeyHash.of("tadm_abc"))
                .isEqualTo("8186174d40cd9afbc3fbe30c36b9eed74368289362b34421c00c52fa8511d293");
    }
}

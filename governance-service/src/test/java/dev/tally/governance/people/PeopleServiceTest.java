package dev.tally.governance.people;

import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberStatus;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.auth.Role;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpStatus;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeopleServiceTest {

    private static final Caller SELF = new Caller(Role.MEMBER, "org-a", "user-1", null, "key-1");

    /** The refusal comes before any store is touched, so the service needs none here. */
    private final PeopleService people = new PeopleService(null, null, null, null, null, null);

    @ParameterizedTest
    @EnumSource(value = MemberStatus.class, names = {"SUSPENDED", "DISABLED", "BUDGET_EXHAUSTED"})
    void a_user_switched_off_by_an_admin_or_a_budget_cannot_switch_themselves_back_on(MemberStatus status) {
        assertThatThrownBy(() -> people.setStatus(SELF, user(status), "active"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.FORBIDDEN);
                    assertThat(e.getMessage()).contains("administrator must re-enable");
                });
    }

    @ParameterizedTest
    @EnumSource(value = MemberStatus.class, names = {"ACTIVE", "ON_VACATION"})
    void an_active_or_vacationing_user_may_change_their_own_status(MemberStatus status) {
        assertThat(PeopleService.mayChangeOwnStatus(status)).isTrue();
    }

    private static Member user(MemberStatus status) {
        Instant now = Instant.now();
        return new Member("user-1", "org-a", "ws-1", null, MemberKind.USER, "u", "u@a.example", status, 0, false,
                now, now);
    }
}

package dev.tally.governance.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayKeyRoutesTest {

    @Test
    void a_gateway_key_reaches_the_users_own_routes_and_quota_requests_only() {
        assertThat(AuthenticationFilter.forGatewayKeys("/users/me")).isTrue();
        assertThat(AuthenticationFilter.forGatewayKeys("/users/me/transfer")).isTrue();
        assertThat(AuthenticationFilter.forGatewayKeys("/approvals")).isTrue();
        assertThat(AuthenticationFilter.forGatewayKeys("/approvals/01a2/approve")).isTrue();

        assertThat(AuthenticationFilter.forGatewayKeys("/users/meet")).isFalse();
        assertThat(AuthenticationFilter.forGatewayKeys("/users/01a2")).isFalse();
        assertThat(AuthenticationFilter.forGatewayKeys("/approvalsx")).isFalse();
        assertThat(AuthenticationFilter.forGatewayKeys("/orgs")).isFalse();
        assertThat(AuthenticationFilter.forGatewayKeys("/budgets")).isFalse();
    }
}

package dev.tally.gateway.auth;

import dev.tally.gateway.state.GovernanceView;
import dev.tally.gateway.state.StateTopicConsumer;
import dev.tally.servicekit.auth.ActuatorPaths;
import dev.tally.servicekit.auth.AuthenticationFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's actuator under the rule every Tally service follows ({@link ActuatorPaths}): health open, metrics,
 * info and the rest for platform admin keys, read from tally.governance.state with everything else. Only the actuator:
 * the gateway's own routes take gateway keys ({@link KeyAuthenticator}).
 */
@Configuration(proxyBeanMethods = false)
public class ActuatorAccess {

    @Bean
    AuthenticationFilter actuatorAuthenticationFilter(GovernanceView view, StateTopicConsumer state) {
        return new AuthenticationFilter(view.adminKeys(), state::ready, path -> false);
    }
}

package dev.tally.notification.auth;

import dev.tally.notification.state.GovernanceStateConsumer;
import dev.tally.servicekit.auth.AdminKeys;
import dev.tally.servicekit.auth.AuthenticationFilter;
import dev.tally.servicekit.auth.CallerArgumentResolver;
import dev.tally.servicekit.web.ApiExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every route but {@code /actuator} needs {@code Authorization: Bearer tadm_…}, and the actuator follows
 * service-kit's rule (health open, the rest for platform admins); keys come from tally.governance.state through
 * {@link GovernanceStateConsumer}.
 */
@Configuration(proxyBeanMethods = false)
public class NotificationAccess {

    static boolean isProtected(String path) {
        return !path.startsWith("/actuator");
    }

    @Bean
    AdminKeys adminKeys() {
        return new AdminKeys();
    }

    @Bean
    AuthenticationFilter authenticationFilter(AdminKeys adminKeys, GovernanceStateConsumer state) {
        return new AuthenticationFilter(adminKeys, state::ready, NotificationAccess::isProtected);
    }

    @Bean
    CallerArgumentResolver callerArgumentResolver() {
        return new CallerArgumentResolver();
    }

    @Bean
    ApiExceptionHandler apiExceptionHandler() {
        return new ApiExceptionHandler();
    }
}

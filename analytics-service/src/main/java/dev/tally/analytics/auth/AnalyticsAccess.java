package dev.tally.analytics.auth;

import dev.tally.analytics.directory.StateTopicConsumer;
import dev.tally.servicekit.auth.AdminKeys;
import dev.tally.servicekit.auth.AuthenticationFilter;
import dev.tally.servicekit.auth.CallerArgumentResolver;
import dev.tally.servicekit.web.ApiExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API needs a bearer admin key; the dashboard's static files, {@code /health} and actuator health need none (the
 * dashboard sends the key from sessionStorage on each of its own API calls, so no cookie and no CSRF token are
 * involved), the actuator's other endpoints a platform admin key (service-kit's rule). Keys come from
 * tally.governance.state, read by {@link StateTopicConsumer}: no call to governance.
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsAccess {

    static boolean isProtected(String path) {
        return path.equals("/me") || path.equals("/orgs") || path.startsWith("/orgs/") || path.startsWith("/admin/");
    }

    @Bean
    AdminKeys adminKeys() {
        return new AdminKeys();
    }

    @Bean
    AuthenticationFilter authenticationFilter(AdminKeys adminKeys, StateTopicConsumer state) {
        return new AuthenticationFilter(adminKeys, state::ready, AnalyticsAccess::isProtected);
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

package dev.tally.ledger.access;

import dev.tally.servicekit.auth.AdminKeys;
import dev.tally.servicekit.auth.AuthenticationFilter;
import dev.tally.servicekit.auth.CallerArgumentResolver;
import dev.tally.servicekit.web.ApiExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call ledger-service's HTTP API: everything under {@code /ledgers} needs an admin key of the ledger's
 * organisation (the ledger id is the organisation id) or a platform admin key; the actuator follows service-kit's
 * rule (health open, the rest for platform admins). Errors leave as the admin APIs' shared JSON.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerAccess {

    static boolean isProtected(String path) {
        return path.equals("/ledgers") || path.startsWith("/ledgers/");
    }

    @Bean
    AdminKeys adminKeys() {
        return new AdminKeys();
    }

    @Bean
    AuthenticationFilter authenticationFilter(AdminKeys adminKeys, AdminKeyReader reader) {
        return new AuthenticationFilter(adminKeys, reader::ready, LedgerAccess::isProtected);
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

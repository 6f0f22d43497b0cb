package dev.tally.notification.outbound;

import dev.tally.servicekit.outbound.AllowList;
import dev.tally.servicekit.outbound.HostResolver;
import dev.tally.servicekit.outbound.OutboundAddressPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The addresses tenants' channels may make notification-service call: public ones, and what the operator lists in
 * {@code tally.outbound.allow} ({@code TALLY_OUTBOUND_ALLOW}). Channels are checked when saved and every delivery when
 * it connects; see docs/security.md.
 */
@Configuration(proxyBeanMethods = false)
public class OutboundConfiguration {

    /** @param resolver the system resolver unless a test brings its own table of names */
    @Bean
    OutboundAddressPolicy outboundAddressPolicy(@Value("${tally.outbound.allow:}") String allow,
            ObjectProvider<HostResolver> resolver) {
        return new OutboundAddressPolicy(AllowList.parse(allow), resolver.getIfAvailable(() -> HostResolver.SYSTEM));
    }
}

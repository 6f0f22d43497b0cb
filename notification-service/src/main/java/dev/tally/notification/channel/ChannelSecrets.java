package dev.tally.notification.channel;

import dev.tally.notification.NotificationSettings;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Channel secrets are sealed like governance's BYOK credentials, under the same {@code TALLY_CREDENTIAL_KEY}. */
@Configuration(proxyBeanMethods = false)
public class ChannelSecrets {

    @Bean
    SecretSealer secretSealer(NotificationSettings settings) {
        return new SecretSealer(settings.credentialKey());
    }
}

package dev.tally.notification.channel;

import dev.tally.notification.NotificationSettings;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Channel secrets are sealed like governance's BYOK credentials, but under a key of their own,
 * {@code TALLY_CHANNEL_KEY}: a leaked channel key opens no provider credential, and each can be rotated alone.
 */
@Configuration(proxyBeanMethods = false)
public class ChannelSecrets {

    public static final String KEY_VARIABLE = "TALLY_CHANNEL_KEY";

    @Bean
    SecretSealer secretSealer(NotificationSettings settings) {
        return new SecretSealer(KEY_VARIABLE, settings.channelKey(), settings.channelKeyCurrent());
    }
}

package dev.tally.governance.credential;

import dev.tally.governance.GovernanceSettings;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * BYOK credentials are sealed under {@code TALLY_CREDENTIAL_KEY} (one key, or several with ids while a key is rotated;
 * {@code TALLY_CREDENTIAL_KEY_CURRENT} names the one that seals) with the credential id as associated data, so a
 * sealed value cannot be replayed under another credential; gateways open them with the same keys. The key is BYOK's
 * alone: notification channels' secrets have their own ({@code TALLY_CHANNEL_KEY}).
 */
@Configuration(proxyBeanMethods = false)
public class CredentialSecrets {

    public static final String KEY_VARIABLE = "TALLY_CREDENTIAL_KEY";

    @Bean
    SecretSealer credentialSealer(GovernanceSettings settings,
            @Value("${tally.governance.credential-key-current:}") String currentKeyId) {
        return new SecretSealer(KEY_VARIABLE, settings.credentialKey(), currentKeyId);
    }
}

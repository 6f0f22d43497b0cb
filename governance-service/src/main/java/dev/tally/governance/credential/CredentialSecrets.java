package dev.tally.governance.credential;

import dev.tally.governance.GovernanceSettings;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * BYOK credentials are sealed under {@code TALLY_CREDENTIAL_KEY} with the credential id as associated data, so a
 * sealed value cannot be replayed under another credential; gateways open them with the same key.
 */
@Configuration(proxyBeanMethods = false)
public class CredentialSecrets {

    @Bean
    SecretSealer credentialSealer(GovernanceSettings settings) {
        return new SecretSealer(settings.credentialKey());
    }
}

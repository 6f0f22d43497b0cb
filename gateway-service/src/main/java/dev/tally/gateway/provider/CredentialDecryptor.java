package dev.tally.gateway.provider;

import dev.tally.events.governance.CredentialState;
import dev.tally.servicekit.secret.SecretSealer;

/**
 * Opens BYOK credentials sealed by governance (service-kit's {@link SecretSealer}: AES-256-GCM, the credential id as
 * associated data, the key id in front). It holds every key governance may have sealed with, {@code
 * TALLY_CREDENTIAL_KEY} as governance has it, so a rotation never leaves a credential the gateway cannot open. Without
 * a key the gateway uses platform keys only.
 */
public final class CredentialDecryptor {

    private final SecretSealer sealer;

    public CredentialDecryptor(String keys) {
        this(keys, null);
    }

    /** @param currentKeyId only checked here (it must name a configured key): the gateway never seals */
    public CredentialDecryptor(String keys, String currentKeyId) {
        this.sealer = new SecretSealer("TALLY_CREDENTIAL_KEY", keys, currentKeyId);
    }

    public boolean configured() {
        return sealer.configured();
    }

    public String open(CredentialState credential) {
        return sealer.open(credential.id(), credential.ciphertext());
    }
}

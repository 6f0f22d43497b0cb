package dev.tally.events.governance;

import java.time.Instant;

/**
 * An organisation's own provider key (BYOK), encrypted: AES-256-GCM under one of the deployment's credential keys,
 * {@code <key-id>:} and base64 of {@code 12-byte nonce || ciphertext || 16-byte tag} (values sealed before key ids
 * have no prefix and are key id 0), with the credential id as associated data so a ciphertext cannot be moved to
 * another credential. Only a holder of {@code TALLY_CREDENTIAL_KEY} can read it.
 */
public record CredentialState(String id, String orgId, String provider, String label, String ciphertext,
        String lastFour, KeyStatus status, Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "credential:" + id;
    }
}

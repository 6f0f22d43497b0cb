package dev.tally.governance.credential;

import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.KeyStatus;

import java.time.Instant;

public record Credential(String id, String orgId, String provider, String label, String ciphertext, String lastFour,
        KeyStatus status, Instant createdAt, Instant revokedAt) {

    public CredentialState state() {
        return new CredentialState(id, orgId, provider, label, ciphertext, lastFour, status,
                revokedAt != null ? revokedAt : createdAt);
    }
}

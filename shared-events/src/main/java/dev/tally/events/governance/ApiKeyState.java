package dev.tally.events.governance;

import java.time.Instant;

/**
 * A gateway key, found by the SHA-256 of the plaintext, which Tally never stores. A revoked key stays on the topic
 * with status REVOKED, so a gateway can tell "revoked" from "never existed".
 *
 * @param keyHash   lower-case hex SHA-256 of the whole key, {@code cpk_} prefix included
 * @param expiresAt from this instant on the key no longer authenticates; null for a key that never expires. No record
 *                  is published at that moment, so a consumer compares it with its own clock on every use.
 */
public record ApiKeyState(String keyHash, String id, String orgId, String memberId, String name, String keySuffix,
        KeyStatus status, Instant updatedAt, Instant expiresAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "api-key:" + keyHash;
    }

    /** Whether the key authenticates at {@code now}: active and not past its expiry. */
    public boolean usableAt(Instant now) {
        return status == KeyStatus.ACTIVE && (expiresAt == null || now.isBefore(expiresAt));
    }
}

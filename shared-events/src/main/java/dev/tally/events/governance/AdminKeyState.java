package dev.tally.events.governance;

import java.time.Instant;

/**
 * An admin key ({@code tadm_}), found by the SHA-256 of the plaintext. Published so that the services around
 * governance (analytics and its dashboard, notifications) authenticate an organisation's administrators without a
 * call to governance: they read this topic from the start, like the gateway reads gateway keys. A revoked key stays
 * on the topic with status REVOKED.
 *
 * @param keyHash   lower-case hex SHA-256 of the whole key, {@code tadm_} prefix included
 * @param orgId     the organisation the key administers; null for a platform admin key
 * @param expiresAt from this instant on the key no longer authenticates; null for a key that never expires. No record
 *                  is published at that moment, so a consumer compares it with its own clock on every use.
 */
public record AdminKeyState(String keyHash, String id, String orgId, AdminRole role, KeyStatus status,
        Instant updatedAt, Instant expiresAt) implements GovernanceState {

    /** A key without an expiry, as every admin key was before keys could expire. */
    public AdminKeyState(String keyHash, String id, String orgId, AdminRole role, KeyStatus status,
            Instant updatedAt) {
        this(keyHash, id, orgId, role, status, updatedAt, null);
    }

    @Override
    public String stateKey() {
        return "admin-key:" + keyHash;
    }

    /** Whether the key authenticates at {@code now}: active and not past its expiry. */
    public boolean usableAt(Instant now) {
        return status == KeyStatus.ACTIVE && (expiresAt == null || now.isBefore(expiresAt));
    }
}

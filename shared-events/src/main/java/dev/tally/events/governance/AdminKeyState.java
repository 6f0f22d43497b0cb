package dev.tally.events.governance;

import java.time.Instant;

/**
 * An admin key ({@code tadm_}), found by the SHA-256 of the plaintext. Published so that the services around
 * governance (analytics and its dashboard, notifications) authenticate an organisation's administrators without a
 * call to governance: they read this topic from the start, like the gateway reads gateway keys. A revoked key stays
 * on the topic with status REVOKED.
 *
 * @param keyHash lower-case hex SHA-256 of the whole key, {@code tadm_} prefix included
 * @param orgId   the organisation the key administers; null for a platform admin key
 */
public record AdminKeyState(String keyHash, String id, String orgId, AdminRole role, KeyStatus status,
        Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "admin-key:" + keyHash;
    }
}

package dev.tally.events.governance;

import java.time.Instant;

/**
 * A gateway key, found by the SHA-256 of the plaintext, which Tally never stores. A revoked key stays on the topic
 * with status REVOKED, so a gateway can tell "revoked" from "never existed".
 *
 * @param keyHash lower-case hex SHA-256 of the whole key, {@code cpk_} prefix included
 */
public record ApiKeyState(String keyHash, String id, String orgId, String memberId, String name, String keySuffix,
        KeyStatus status, Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "api-key:" + keyHash;
    }
}

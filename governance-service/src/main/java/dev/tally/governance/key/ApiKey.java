package dev.tally.governance.key;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.auth.KeyLifetime;

import java.time.Instant;

/**
 * @param expiresAt  null for a key that never expires; a rotated key's grace deadline
 * @param lastUsedAt coarse, see {@code KeyUsage}
 * @param updatedAt  when the published state last changed after creation (revocation, rotation); null if never
 */
public record ApiKey(String id, String orgId, String memberId, String name, String keyHash, String keySuffix,
        KeyStatus status, Instant createdAt, Instant revokedAt, Instant expiresAt, Instant lastUsedAt,
        Instant updatedAt) {

    public ApiKeyState state() {
        return new ApiKeyState(keyHash, id, orgId, memberId, name, keySuffix, status,
                updatedAt != null ? updatedAt : revokedAt != null ? revokedAt : createdAt, expiresAt);
    }

    public boolean usableAt(Instant now) {
        return status == KeyStatus.ACTIVE && !KeyLifetime.expired(expiresAt, now);
    }
}

package dev.tally.governance.key;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.KeyStatus;

import java.time.Instant;

public record ApiKey(String id, String orgId, String memberId, String name, String keyHash, String keySuffix,
        KeyStatus status, Instant createdAt, Instant revokedAt) {

    public ApiKeyState state() {
        return new ApiKeyState(keyHash, id, orgId, memberId, name, keySuffix, status,
                revokedAt != null ? revokedAt : createdAt);
    }
}

package dev.tally.governance.key;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * Agent Control's key shape, plus its lifetime; {@code plaintext_key} appears exactly once, in the answer that issued
 * the key. {@code is_active} is false once the key is revoked or past {@code expires_at}.
 *
 * @param previousKey on rotation: the key it replaces, with its grace deadline as {@code expires_at}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, String memberId, String agentId, String userId, String name, String keySuffix,
        boolean isActive, Instant createdAt, Instant revokedAt, Instant expiresAt, Instant lastUsedAt,
        String plaintextKey, ApiKeyView previousKey) {

    public static ApiKeyView of(ApiKey key, boolean agent, String plaintext) {
        return new ApiKeyView(key.id(), key.memberId(), agent ? key.memberId() : null, agent ? null : key.memberId(),
                key.name(), key.keySuffix(), key.usableAt(Instant.now()), key.createdAt(), key.revokedAt(),
                key.expiresAt(), key.lastUsedAt(), plaintext, null);
    }

    ApiKeyView replacing(ApiKeyView previous) {
        return new ApiKeyView(id, memberId, agentId, userId, name, keySuffix, isActive, createdAt, revokedAt,
                expiresAt, lastUsedAt, plaintextKey, previous);
    }
}

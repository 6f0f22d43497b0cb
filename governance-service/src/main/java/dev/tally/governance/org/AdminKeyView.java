package dev.tally.governance.org;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * {@code is_active} is false once the key is revoked or past {@code expires_at}.
 *
 * @param plaintextKey present exactly once, in the answer that created the key
 * @param previousKey  on rotation: the key it replaces, with its grace deadline as {@code expires_at}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminKeyView(String id, String orgId, String role, String name, String keySuffix, boolean isActive,
        Instant createdAt, Instant revokedAt, Instant expiresAt, Instant lastUsedAt, String plaintextKey,
        AdminKeyView previousKey) {

    AdminKeyView replacing(AdminKeyView previous) {
        return new AdminKeyView(id, orgId, role, name, keySuffix, isActive, createdAt, revokedAt, expiresAt,
                lastUsedAt, plaintextKey, previous);
    }
}

package dev.tally.governance.org;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** @param plaintextKey present exactly once, in the answer that created the key */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminKeyView(String id, String orgId, String role, String name, String keySuffix, boolean isActive,
        Instant createdAt, Instant revokedAt, String plaintextKey) {
}

package dev.tally.governance.key;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.events.governance.KeyStatus;

import java.time.Instant;

/** Agent Control's key shape; {@code plaintext_key} appears exactly once, in the answer that issued the key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, String memberId, String agentId, String userId, String name, String keySuffix,
        boolean isActive, Instant createdAt, Instant revokedAt, String plaintextKey) {

    static ApiKeyView of(ApiKey key, boolean agent, String plaintext) {
        return new ApiKeyView(key.id(), key.memberId(), agent ? key.memberId() : null, agent ? null : key.memberId(),
                key.name(), key.keySuffix(), key.status() == KeyStatus.ACTIVE, key.createdAt(), key.revokedAt(),
                plaintext);
    }
}

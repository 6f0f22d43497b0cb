package dev.tally.governance.key;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.auth.KeyLifetime;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import dev.tally.events.governance.KeyStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Issues, rotates and revokes gateway keys; every change reaches every gateway through tally.governance.state within
 * a second. Expiry needs no message: gateways compare a key's {@code expires_at} with their own clock.
 */
@Service
public class ApiKeyService {

    private final ApiKeyStore keys;
    private final Changes changes;

    public ApiKeyService(ApiKeyStore keys, Changes changes) {
        this.keys = keys;
        this.changes = changes;
    }

    public Mono<ApiKeyView> issue(Caller caller, Member member, String requestedName, String requestedExpiry) {
        String name = requestedName == null ? "default" : Check.name(requestedName, "name");
        Instant expiresAt = KeyLifetime.expiresAt(requestedExpiry, Instant.now());
        return changes.commit(issueInTransaction(caller, member, name, expiresAt))
                .map(issued -> ApiKeyView.of(issued.key(), !member.isUser(), issued.plaintext()));
    }

    /** For callers that create the member and its first key in one transaction. */
    public Mono<ApiKeyStore.IssuedKey> issueInTransaction(Caller caller, Member member, String name,
            Instant expiresAt) {
        Map<String, Object> detail = new HashMap<>(Map.of("member_id", member.id()));
        return keys.issue(member.orgId(), member.id(), name, expiresAt)
                .flatMap(issued -> {
                    detail.put("suffix", issued.key().keySuffix());
                    if (expiresAt != null) {
                        detail.put("expires_at", expiresAt.toString());
                    }
                    return changes.publish(issued.key().state())
                            .then(changes.audit(member.orgId(), caller.actor(), "api-key.issued", "api_key",
                                    issued.key().id(), detail))
                            .thenReturn(issued);
                });
    }

    public Flux<ApiKeyView> list(Member member) {
        return keys.ofMember(member.id()).map(key -> ApiKeyView.of(key, !member.isUser(), null));
    }

    /**
     * A new key for the same member, named like the old one, which keeps working until the grace deadline (or its
     * own earlier expiry) so that whatever uses it can switch over.
     */
    public Mono<ApiKeyView> rotate(Caller caller, Member member, String keyId, Long graceSeconds,
            String requestedExpiry) {
        Instant now = Instant.now();
        Instant deadline = KeyLifetime.graceDeadline(graceSeconds, now);
        Instant newExpiry = KeyLifetime.expiresAt(requestedExpiry, now);
        return ownKey(member, keyId)
                .flatMap(old -> {
                    if (!old.usableAt(now)) {
                        return Mono.error(ApiException.conflict("key_inactive", "key " + keyId + " is "
                                + (old.status() == KeyStatus.REVOKED ? "revoked" : "expired")
                                + "; issue a new key instead of rotating it", null));
                    }
                    Instant oldExpiry = KeyLifetime.afterRotation(old.expiresAt(), deadline);
                    return changes.commit(keys.expireAt(old, oldExpiry)
                            .flatMap(expiring -> changes.publish(expiring.state())
                                    .then(issueInTransaction(caller, member, old.name(), newExpiry))
                                    .flatMap(issued -> changes.audit(member.orgId(), caller.actor(), "api-key.rotated",
                                                    "api_key", old.id(), Map.of("member_id", member.id(),
                                                            "new_key_id", issued.key().id(),
                                                            "expires_at", oldExpiry.toString()))
                                            .thenReturn(ApiKeyView.of(issued.key(), !member.isUser(),
                                                    issued.plaintext())
                                                    .replacing(ApiKeyView.of(expiring, !member.isUser(), null))))));
                });
    }

    public Mono<ApiKeyView> revoke(Caller caller, Member member, String keyId) {
        return ownKey(member, keyId)
                .flatMap(key -> key.status() == KeyStatus.REVOKED ? Mono.just(key)
                        : changes.commit(keys.revoke(key)
                                .flatMap(revoked -> changes.publish(revoked.state())
                                        .then(changes.audit(member.orgId(), caller.actor(), "api-key.revoked",
                                                "api_key", key.id(), Map.of("member_id", member.id())))
                                        .thenReturn(revoked))))
                .map(key -> ApiKeyView.of(key, !member.isUser(), null));
    }

    private Mono<ApiKey> ownKey(Member member, String keyId) {
        return keys.find(keyId)
                .filter(key -> key.memberId().equals(member.id()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("key", keyId)));
    }
}

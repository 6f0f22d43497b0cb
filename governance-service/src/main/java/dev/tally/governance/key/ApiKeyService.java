package dev.tally.governance.key;

import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Map;

/** Issues and revokes gateway keys; both reach every gateway through tally.governance.state within a second. */
@Service
public class ApiKeyService {

    private final ApiKeyStore keys;
    private final Changes changes;

    public ApiKeyService(ApiKeyStore keys, Changes changes) {
        this.keys = keys;
        this.changes = changes;
    }

    public Mono<ApiKeyView> issue(Caller caller, Member member, String requestedName) {
        String name = requestedName == null ? "default" : Check.name(requestedName, "name");
        return changes.commit(issueInTransaction(caller, member, name))
                .map(issued -> ApiKeyView.of(issued.key(), !member.isUser(), issued.plaintext()));
    }

    /** For callers that create the member and its first key in one transaction. */
    public Mono<ApiKeyStore.IssuedKey> issueInTransaction(Caller caller, Member member, String name) {
        return keys.issue(member.orgId(), member.id(), name)
                .flatMap(issued -> changes.publish(issued.key().state())
                        .then(changes.audit(member.orgId(), caller.actor(), "api-key.issued", "api_key",
                                issued.key().id(), Map.of("member_id", member.id(), "suffix",
                                        issued.key().keySuffix())))
                        .thenReturn(issued));
    }

    public Flux<ApiKeyView> list(Member member) {
        return keys.ofMember(member.id()).map(key -> ApiKeyView.of(key, !member.isUser(), null));
    }

    public Mono<ApiKeyView> revoke(Caller caller, Member member, String keyId) {
        return keys.find(keyId)
                .filter(key -> key.memberId().equals(member.id()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("key", keyId)))
                .flatMap(key -> key.status() == KeyStatus.REVOKED ? Mono.just(key)
                        : changes.commit(keys.revoke(key)
                                .flatMap(revoked -> changes.publish(revoked.state())
                                        .then(changes.audit(member.orgId(), caller.actor(), "api-key.revoked",
                                                "api_key", key.id(), Map.of("member_id", member.id())))
                                        .thenReturn(revoked))))
                .map(key -> ApiKeyView.of(key, !member.isUser(), null));
    }
}

package dev.tally.governance.key;

import dev.tally.events.governance.MemberKind;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Member;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
public class ApiKeyController {

    /** @param expiresAt ISO-8601 date-time; absent for a key that never expires */
    public record IssueKey(String name, String expiresAt) {
    }

    /**
     * @param graceSeconds how long the old key keeps working (default a day, at most a week)
     * @param expiresAt    the new key's expiry; absent for none
     */
    public record RotateKey(Long graceSeconds, String expiresAt) {
    }

    private final Lookup lookup;
    private final ApiKeyService keys;

    public ApiKeyController(Lookup lookup, ApiKeyService keys) {
        this.lookup = lookup;
        this.keys = keys;
    }

    @PostMapping("/agents/{agentId}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyView> issueAgentKey(Caller caller, @PathVariable String agentId,
            @RequestBody(required = false) IssueKey request) {
        return lookup.member(caller, agentId, MemberKind.AGENT)
                .flatMap(agent -> keys.issue(caller, agent, request == null ? null : request.name(),
                        request == null ? null : request.expiresAt()));
    }

    @GetMapping("/agents/{agentId}/keys")
    public Flux<ApiKeyView> listAgentKeys(Caller caller, @PathVariable String agentId) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMapMany(keys::list);
    }

    @DeleteMapping("/agents/{agentId}/keys/{keyId}")
    public Mono<ApiKeyView> revokeAgentKey(Caller caller, @PathVariable String agentId, @PathVariable String keyId) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMap(agent -> keys.revoke(caller, agent, keyId));
    }

    @PostMapping("/agents/{agentId}/keys/{keyId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyView> rotateAgentKey(Caller caller, @PathVariable String agentId, @PathVariable String keyId,
            @RequestBody(required = false) RotateKey request) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMap(agent -> rotate(caller, agent, keyId, request));
    }

    @PostMapping("/users/{userId}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyView> issueUserKey(Caller caller, @PathVariable String userId,
            @RequestBody(required = false) IssueKey request) {
        return lookup.member(caller, userId, MemberKind.USER)
                .flatMap(user -> keys.issue(caller, user, request == null ? null : request.name(),
                        request == null ? null : request.expiresAt()));
    }

    @GetMapping("/users/{userId}/keys")
    public Flux<ApiKeyView> listUserKeys(Caller caller, @PathVariable String userId) {
        return lookup.member(caller, userId, MemberKind.USER).flatMapMany(keys::list);
    }

    @PostMapping("/users/{userId}/keys/{keyId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyView> rotateUserKey(Caller caller, @PathVariable String userId, @PathVariable String keyId,
            @RequestBody(required = false) RotateKey request) {
        return lookup.member(caller, userId, MemberKind.USER).flatMap(user -> rotate(caller, user, keyId, request));
    }

    @DeleteMapping("/users/{userId}/keys/{keyId}")
    public Mono<ApiKeyView> revokeUserKey(Caller caller, @PathVariable String userId, @PathVariable String keyId) {
        return lookup.member(caller, userId, MemberKind.USER).flatMap(user -> keys.revoke(caller, user, keyId));
    }

    private Mono<ApiKeyView> rotate(Caller caller, Member member, String keyId, RotateKey request) {
        return keys.rotate(caller, member, keyId, request == null ? null : request.graceSeconds(),
                request == null ? null : request.expiresAt());
    }
}

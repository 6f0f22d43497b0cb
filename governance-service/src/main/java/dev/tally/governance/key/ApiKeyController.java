package dev.tally.governance.key;

import dev.tally.events.governance.MemberKind;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
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

    public record IssueKey(String name) {
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
                .flatMap(agent -> keys.issue(caller, agent, request == null ? null : request.name()));
    }

    @GetMapping("/agents/{agentId}/keys")
    public Flux<ApiKeyView> listAgentKeys(Caller caller, @PathVariable String agentId) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMapMany(keys::list);
    }

    @DeleteMapping("/agents/{agentId}/keys/{keyId}")
    public Mono<ApiKeyView> revokeAgentKey(Caller caller, @PathVariable String agentId, @PathVariable String keyId) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMap(agent -> keys.revoke(caller, agent, keyId));
    }

    @PostMapping("/users/{userId}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyView> issueUserKey(Caller caller, @PathVariable String userId,
            @RequestBody(required = false) IssueKey request) {
        return lookup.member(caller, userId, MemberKind.USER)
                .flatMap(user -> keys.issue(caller, user, request == null ? null : request.name()));
    }

    @GetMapping("/users/{userId}/keys")
    public Flux<ApiKeyView> listUserKeys(Caller caller, @PathVariable String userId) {
        return lookup.member(caller, userId, MemberKind.USER).flatMapMany(keys::list);
    }

    @DeleteMapping("/users/{userId}/keys/{keyId}")
    public Mono<ApiKeyView> revokeUserKey(Caller caller, @PathVariable String userId, @PathVariable String keyId) {
        return lookup.member(caller, userId, MemberKind.USER).flatMap(user -> keys.revoke(caller, user, keyId));
    }
}

package dev.tally.governance.policy;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.scope.TargetRef;
import dev.tally.governance.scope.Targets;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;

/**
 * Agent Control's policies: each attached to exactly one node (422 on POST, 400 on GET otherwise). Gateways merge every
 * policy on a member's chain: allowed models intersect, numeric limits take the minimum.
 */
@RestController
public class PolicyController {

    private final PolicyStore policies;
    private final Targets targets;
    private final Changes changes;

    public PolicyController(PolicyStore policies, Targets targets, Changes changes) {
        this.policies = policies;
        this.targets = targets;
        this.changes = changes;
    }

    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<PolicyView> create(Caller caller, @RequestBody PolicyRequest request) {
        return targets.resolve(caller, request.target(), HttpStatus.UNPROCESSABLE_CONTENT).flatMap(target -> {
            String name = request.name() == null ? "policy" : Check.name(request.name(), "name");
            PolicyRules rules = PolicyRulesParser.parse(request, target.scope());
            Instant now = Instant.now();
            Policy policy = new Policy(Ids.newId(), target.orgId(), target.scope(), name, rules, now, now);
            return changes.commit(policies.insert(policy)
                            .then(changes.publish(policy.state()))
                            .then(changes.audit(target.orgId(), caller.actor(), "policy.created", "policy",
                                    policy.id(), Map.of("target", target.scope().level() + ":" + target.scope().id()))))
                    .thenReturn(PolicyView.of(policy));
        });
    }

    @GetMapping("/policies")
    public Flux<PolicyView> list(Caller caller, @RequestParam(name = "org_id", required = false) String orgId,
            @RequestParam(name = "workspace_id", required = false) String workspaceId,
            @RequestParam(name = "agent_group_id", required = false) String agentGroupId,
            @RequestParam(name = "team_id", required = false) String teamId,
            @RequestParam(name = "agent_id", required = false) String agentId,
            @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "project_id", required = false) String projectId) {
        TargetRef ref = new TargetRef(orgId, workspaceId, agentGroupId, teamId, agentId, userId, projectId);
        return targets.resolve(caller, ref, HttpStatus.BAD_REQUEST)
                .flatMapMany(target -> policies.ofTarget(target.scope()))
                .map(PolicyView::of);
    }

    @GetMapping("/policies/{policyId}")
    public Mono<PolicyView> get(Caller caller, @PathVariable String policyId) {
        return find(caller, policyId).map(PolicyView::of);
    }

    /** Replaces the rules; the target stays. */
    @PutMapping("/policies/{policyId}")
    public Mono<PolicyView> replace(Caller caller, @PathVariable String policyId,
            @RequestBody PolicyRequest request) {
        return find(caller, policyId).flatMap(existing -> {
            Policy updated = new Policy(existing.id(), existing.orgId(), existing.target(),
                    request.name() == null ? existing.name() : Check.name(request.name(), "name"),
                    PolicyRulesParser.parse(request, existing.target()), existing.createdAt(), Instant.now());
            return changes.commit(policies.update(updated)
                            .then(changes.publish(updated.state()))
                            .then(changes.audit(existing.orgId(), caller.actor(), "policy.updated", "policy",
                                    existing.id(), Map.of())))
                    .thenReturn(PolicyView.of(updated));
        });
    }

    @DeleteMapping("/policies/{policyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(Caller caller, @PathVariable String policyId) {
        return find(caller, policyId).flatMap(existing -> changes.commit(policies.delete(existing.id())
                .then(changes.publishDeletion(existing.state()))
                .then(changes.audit(existing.orgId(), caller.actor(), "policy.deleted", "policy", existing.id(),
                        Map.of()))));
    }

    private Mono<Policy> find(Caller caller, String policyId) {
        return policies.find(policyId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("policy", policyId)))
                .doOnNext(p -> caller.requireOrgAdmin(p.orgId(), "policy", policyId));
    }
}

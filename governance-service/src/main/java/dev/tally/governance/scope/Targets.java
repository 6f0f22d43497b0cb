package dev.tally.governance.scope;

import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/** Resolves a {@link TargetRef} to a scope of the caller's organisation. */
@Component
public class Targets {

    public record Target(String orgId, Scope scope) {
    }

    private final Lookup lookup;

    public Targets(Lookup lookup) {
        this.lookup = lookup;
    }

    /**
     * @param onError the status for zero or several targets: Agent Control answers 422 on POST and 400 on GET
     */
    public Mono<Target> resolve(Caller caller, TargetRef ref, HttpStatus onError) {
        List<String> given = new ArrayList<>();
        add(given, "org_id", ref.orgId());
        add(given, "workspace_id", ref.workspaceId());
        add(given, "agent_group_id", ref.agentGroupId());
        add(given, "team_id", ref.teamId());
        add(given, "agent_id", ref.agentId());
        add(given, "user_id", ref.userId());
        add(given, "project_id", ref.projectId());
        if (given.size() != 1) {
            String message = given.isEmpty()
                    ? "give exactly one target: org_id, workspace_id, agent_group_id, team_id, agent_id, user_id or "
                            + "project_id"
                    : "give exactly one target, not " + String.join(" and ", given);
            return Mono.error(new ApiException(onError, "invalid_target", message,
                    given.isEmpty() ? "target" : given.get(1), given.isEmpty() ? "is required" : "only one target"));
        }
        if (ref.orgId() != null) {
            return lookup.org(caller, ref.orgId()).map(o -> new Target(o.id(), new Scope(ScopeLevel.ORG, o.id())));
        }
        if (ref.workspaceId() != null) {
            return lookup.workspace(caller, ref.workspaceId())
                    .map(w -> new Target(w.orgId(), new Scope(ScopeLevel.WORKSPACE, w.id())));
        }
        if (ref.agentGroupId() != null || ref.teamId() != null) {
            GroupKind kind = ref.teamId() != null ? GroupKind.TEAM : GroupKind.AGENT_GROUP;
            return lookup.group(caller, ref.teamId() != null ? ref.teamId() : ref.agentGroupId(), kind)
                    .map(g -> new Target(g.orgId(), new Scope(ScopeLevel.GROUP, g.id())));
        }
        if (ref.agentId() != null || ref.userId() != null) {
            MemberKind kind = ref.userId() != null ? MemberKind.USER : MemberKind.AGENT;
            return lookup.member(caller, ref.userId() != null ? ref.userId() : ref.agentId(), kind)
                    .map(m -> new Target(m.orgId(), new Scope(ScopeLevel.MEMBER, m.id())));
        }
        return lookup.project(caller, ref.projectId())
                .map(p -> new Target(p.orgId(), new Scope(ScopeLevel.PROJECT, p.id())));
    }

    private static void add(List<String> given, String name, String value) {
        if (Check.optionalId(value, name) != null) {
            given.add(name);
        }
    }
}

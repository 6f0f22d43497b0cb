package dev.tally.governance.agent;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberStatus;
import dev.tally.governance.agent.AgentViews.AgentGroupView;
import dev.tally.governance.agent.AgentViews.AgentView;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;

/** Agent Control's track: workspace → agent group → agent. */
@RestController
public class AgentController {

    public record CreateAgentGroup(String name, String description) {
    }

    public record UpdateAgentGroup(String name, String description, EntityStatus status, Boolean isActive) {
    }

    public record CreateAgent(String name) {
    }

    /** Admins set ACTIVE or DISABLED; BUDGET_EXHAUSTED is set by an exhausted auto-disable budget. */
    public record UpdateAgent(String name, MemberStatus status) {
    }

    private final HierarchyStore store;
    private final Lookup lookup;
    private final Changes changes;

    public AgentController(HierarchyStore store, Lookup lookup, Changes changes) {
        this.store = store;
        this.lookup = lookup;
        this.changes = changes;
    }

    @PostMapping("/workspaces/{workspaceId}/agent-groups")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<AgentGroupView> createGroup(Caller caller, @PathVariable String workspaceId,
            @RequestBody CreateAgentGroup request) {
        return lookup.workspace(caller, workspaceId).flatMap(ws -> {
            String name = Check.name(request.name(), "name");
            String description = Check.optionalText(request.description(), "description", Check.TEXT_MAX);
            Instant now = Instant.now();
            Group group = new Group(Ids.newId(), ws.orgId(), ws.id(), GroupKind.AGENT_GROUP, name, description,
                    EntityStatus.ACTIVE, 0, now, now);
            return store.groupNameTaken(ws.id(), name)
                    .flatMap(taken -> taken
                            ? Mono.error(ApiException.conflict("duplicate_name",
                                    "the workspace already has a group named '" + name + "'", "name"))
                            : changes.commit(store.insert(group)
                                    .then(changes.publish(group.state()))
                                    .then(changes.audit(ws.orgId(), caller.actor(), "agent-group.created",
                                            "agent_group", group.id(), Map.of("name", name)))))
                    .thenReturn(AgentGroupView.of(group));
        });
    }

    @GetMapping("/workspaces/{workspaceId}/agent-groups")
    public Flux<AgentGroupView> listGroups(Caller caller, @PathVariable String workspaceId) {
        return lookup.workspace(caller, workspaceId)
                .flatMapMany(ws -> store.groups("workspace_id", ws.id(), GroupKind.AGENT_GROUP))
                .map(AgentGroupView::of);
    }

    @GetMapping("/agent-groups/{groupId}")
    public Mono<AgentGroupView> getGroup(Caller caller, @PathVariable String groupId) {
        return lookup.group(caller, groupId, GroupKind.AGENT_GROUP).map(AgentGroupView::of);
    }

    @PatchMapping("/agent-groups/{groupId}")
    public Mono<AgentGroupView> updateGroup(Caller caller, @PathVariable String groupId,
            @RequestBody UpdateAgentGroup request) {
        return lookup.group(caller, groupId, GroupKind.AGENT_GROUP).flatMap(g -> {
            EntityStatus status = request.status() != null ? request.status()
                    : request.isActive() != null ? (request.isActive() ? EntityStatus.ACTIVE : EntityStatus.INACTIVE)
                    : g.status();
            String name = request.name() == null ? g.name() : Check.name(request.name(), "name");
            Group updated = new Group(g.id(), g.orgId(), g.workspaceId(), g.kind(), name,
                    request.description() == null ? g.description()
                            : Check.text(request.description(), "description", Check.TEXT_MAX),
                    status, g.poolCredits(), g.createdAt(), Instant.now());
            // Names are unique in any case; a change of case only is no clash with itself.
            Mono<Boolean> taken = name.equalsIgnoreCase(g.name()) ? Mono.just(false)
                    : store.groupNameTaken(g.workspaceId(), name);
            return taken
                    .flatMap(t -> t
                            ? Mono.<Group>error(ApiException.conflict("duplicate_name",
                                    "the workspace already has a group named '" + name + "'", "name"))
                            : changes.commit(store.update(g, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(g.orgId(), caller.actor(), "agent-group.updated",
                                                    "agent_group", g.id(), Map.of("status", stored.status().name())))
                                            .thenReturn(stored))))
                    .map(AgentGroupView::of);
        });
    }

    @PostMapping("/agent-groups/{groupId}/agents")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<AgentView> createAgent(Caller caller, @PathVariable String groupId,
            @RequestBody CreateAgent request) {
        return lookup.group(caller, groupId, GroupKind.AGENT_GROUP).flatMap(g -> {
            String name = Check.name(request.name(), "name");
            Instant now = Instant.now();
            Member agent = new Member(Ids.newId(), g.orgId(), g.workspaceId(), g.id(), MemberKind.AGENT, name, null,
                    MemberStatus.ACTIVE, 0, false, now, now);
            return store.memberNameTaken(g.id(), name)
                    .flatMap(taken -> taken
                            ? Mono.error(ApiException.conflict("duplicate_name",
                                    "the agent group already has an agent named '" + name + "'", "name"))
                            : changes.commit(store.insert(agent)
                                    .then(changes.publish(agent.state()))
                                    .then(changes.audit(g.orgId(), caller.actor(), "agent.created", "agent",
                                            agent.id(), Map.of("name", name)))))
                    .thenReturn(AgentView.of(agent));
        });
    }

    @GetMapping("/agent-groups/{groupId}/agents")
    public Flux<AgentView> listAgents(Caller caller, @PathVariable String groupId) {
        return lookup.group(caller, groupId, GroupKind.AGENT_GROUP)
                .flatMapMany(g -> store.members("group_id", g.id(), MemberKind.AGENT))
                .map(AgentView::of);
    }

    @GetMapping("/agents/{agentId}")
    public Mono<AgentView> getAgent(Caller caller, @PathVariable String agentId) {
        return lookup.member(caller, agentId, MemberKind.AGENT).map(AgentView::of);
    }

    @PatchMapping("/agents/{agentId}")
    public Mono<AgentView> updateAgent(Caller caller, @PathVariable String agentId,
            @RequestBody UpdateAgent request) {
        return lookup.member(caller, agentId, MemberKind.AGENT).flatMap(agent -> {
            // Only what the request sets is checked: renaming a BUDGET_EXHAUSTED agent keeps its status.
            if (request.status() != null && request.status() != MemberStatus.ACTIVE
                    && request.status() != MemberStatus.DISABLED) {
                throw ApiException.invalid("status", "must be ACTIVE or DISABLED for an agent; BUDGET_EXHAUSTED is "
                        + "set only by an exhausted auto-disable budget");
            }
            MemberStatus status = request.status() == null ? agent.status() : request.status();
            String name = request.name() == null ? agent.name() : Check.name(request.name(), "name");
            Member updated = new Member(agent.id(), agent.orgId(), agent.workspaceId(), agent.groupId(),
                    agent.kind(), name, null, status, 0, false, agent.createdAt(), Instant.now());
            // Names are unique in any case; a change of case only is no clash with itself.
            Mono<Boolean> taken = name.equalsIgnoreCase(agent.name()) ? Mono.just(false)
                    : store.memberNameTaken(agent.groupId(), name);
            return taken
                    .flatMap(t -> t
                            ? Mono.<Member>error(ApiException.conflict("duplicate_name",
                                    "the agent group already has an agent named '" + name + "'", "name"))
                            : changes.commit(store.update(agent, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(agent.orgId(), caller.actor(), "agent.updated",
                                                    "agent", agent.id(), Map.of("status", stored.status().name())))
                                            .thenReturn(stored))))
                    .map(AgentView::of);
        });
    }
}

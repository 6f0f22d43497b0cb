package dev.tally.governance.project;

import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Project;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may charge a project: a gateway request names a project with {@code X-Project-ID} only when the calling
 * user or agent is a member, directly or through its team or agent group. Memberships reach gateways on
 * tally.governance.state ({@code project-member:<project id>/<member id>}; a removal is a tombstone).
 */
@RestController
public class ProjectMemberController {

    /** Exactly one of the ids, as for policy and budget targets. */
    public record AddMember(String userId, String agentId, String teamId, String agentGroupId) {
    }

    public record ProjectMemberView(String projectId, String memberType, String memberId, String name,
            Instant createdAt) {

        static ProjectMemberView of(ProjectMember m) {
            return new ProjectMemberView(m.projectId(), m.type(), m.member().id(), m.name(), m.createdAt());
        }
    }

    private final Lookup lookup;
    private final ProjectMemberStore members;
    private final Changes changes;

    public ProjectMemberController(Lookup lookup, ProjectMemberStore members, Changes changes) {
        this.lookup = lookup;
        this.members = members;
        this.changes = changes;
    }

    /** 201 with the new member; 200 with the existing one when it was a member already. */
    @PostMapping("/projects/{projectId}/members")
    public Mono<ResponseEntity<ProjectMemberView>> add(Caller caller, @PathVariable String projectId,
            @RequestBody AddMember request) {
        return lookup.project(caller, projectId)
                .flatMap(project -> resolve(caller, project, request)
                        .flatMap(member -> changes.commit(members.insert(member).flatMap(added -> added
                                        ? changes.publish(member.state())
                                                .then(changes.audit(project.orgId(), caller.actor(),
                                                        "project.member-added", "project", project.id(),
                                                        Map.of("member_id", member.member().id(),
                                                                "member_type", member.type())))
                                                .thenReturn(true)
                                        : Mono.just(false)))
                                .flatMap(added -> members.find(project.id(), member.member().id())
                                        .map(saved -> ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK)
                                                .body(ProjectMemberView.of(saved))))));
    }

    @GetMapping("/projects/{projectId}/members")
    public Flux<ProjectMemberView> list(Caller caller, @PathVariable String projectId) {
        return lookup.project(caller, projectId).flatMapMany(project -> members.ofProject(project.id()))
                .map(ProjectMemberView::of);
    }

    /** @param memberId the id of the user, agent, team or agent group */
    @DeleteMapping("/projects/{projectId}/members/{memberId}")
    public Mono<ProjectMemberView> remove(Caller caller, @PathVariable String projectId,
            @PathVariable String memberId) {
        return lookup.project(caller, projectId)
                .flatMap(project -> members.find(project.id(), memberId)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("member of project " + projectId,
                                memberId)))
                        .flatMap(member -> changes.commit(members.delete(member)
                                        .then(changes.publishDeletion(member.state()))
                                        .then(changes.audit(project.orgId(), caller.actor(), "project.member-removed",
                                                "project", project.id(), Map.of("member_id", memberId))))
                                .thenReturn(ProjectMemberView.of(member))));
    }

    /**
     * The member the body names, of the project's organisation. An id of another organisation answers 404 like any
     * foreign id; a platform admin naming one gets 400, since a project admits only its own organisation.
     */
    private Mono<ProjectMember> resolve(Caller caller, Project project, AddMember request) {
        List<String> given = new ArrayList<>();
        if (request.userId() != null) {
            given.add("user_id");
        }
        if (request.agentId() != null) {
            given.add("agent_id");
        }
        if (request.teamId() != null) {
            given.add("team_id");
        }
        if (request.agentGroupId() != null) {
            given.add("agent_group_id");
        }
        if (given.size() != 1) {
            String message = given.isEmpty() ? "give exactly one member: user_id, agent_id, team_id or agent_group_id"
                    : "give exactly one member, not " + String.join(" and ", given);
            return Mono.error(ApiException.unprocessable("invalid_target", message,
                    given.isEmpty() ? "member" : given.get(1), given.isEmpty() ? "is required" : "only one member"));
        }
        String field = given.get(0);
        Instant now = Instant.now();
        Mono<ProjectMember> member;
        if (request.userId() != null || request.agentId() != null) {
            MemberKind kind = request.userId() != null ? MemberKind.USER : MemberKind.AGENT;
            member = lookup.member(caller, request.userId() != null ? request.userId() : request.agentId(), kind)
                    .filter(m -> m.orgId().equals(project.orgId()))
                    .map(m -> new ProjectMember(project.id(), project.orgId(), new Scope(ScopeLevel.MEMBER, m.id()),
                            ProjectMemberStore.type(kind.name()), m.name(), now));
        } else {
            GroupKind kind = request.teamId() != null ? GroupKind.TEAM : GroupKind.AGENT_GROUP;
            member = lookup.group(caller, request.teamId() != null ? request.teamId() : request.agentGroupId(), kind)
                    .filter(g -> g.orgId().equals(project.orgId()))
                    .map(g -> new ProjectMember(project.id(), project.orgId(), new Scope(ScopeLevel.GROUP, g.id()),
                            ProjectMemberStore.type(kind.name()), g.name(), now));
        }
        return member.switchIfEmpty(Mono.error(() -> ApiException.invalid(field,
                "is not in the project's organisation")));
    }
}

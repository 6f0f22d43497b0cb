package dev.tally.governance.people;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.people.PeopleViews.TeamView;
import dev.tally.governance.people.PeopleViews.UserView;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;

@RestController
public class TeamController {

    private final PeopleService people;
    private final HierarchyStore store;
    private final Lookup lookup;
    private final Changes changes;

    public TeamController(PeopleService people, HierarchyStore store, Lookup lookup, Changes changes) {
        this.people = people;
        this.store = store;
        this.lookup = lookup;
        this.changes = changes;
    }

    @PostMapping("/orgs/{orgId}/teams")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<TeamView> create(Caller caller, @PathVariable String orgId,
            @RequestBody PeopleRequests.CreateTeam request) {
        return lookup.org(caller, orgId).flatMap(org -> people.createTeam(caller, org, request));
    }

    @GetMapping("/orgs/{orgId}/teams")
    public Flux<TeamView> list(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId).flatMapMany(org -> store.groups("org_id", org.id(), GroupKind.TEAM))
                .map(TeamView::of);
    }

    @GetMapping("/teams/{teamId}")
    public Mono<TeamView> get(Caller caller, @PathVariable String teamId) {
        return lookup.group(caller, teamId, GroupKind.TEAM).map(TeamView::of);
    }

    @PatchMapping("/teams/{teamId}")
    public Mono<TeamView> update(Caller caller, @PathVariable String teamId,
            @RequestBody PeopleRequests.UpdateTeam request) {
        return lookup.group(caller, teamId, GroupKind.TEAM).flatMap(g -> {
            String name = request.name() == null ? g.name() : Check.name(request.name(), "name");
            Group updated = new Group(g.id(), g.orgId(), g.workspaceId(), g.kind(), name,
                    request.description() == null ? g.description()
                            : Check.text(request.description(), "description", Check.TEXT_MAX),
                    request.isActive() == null ? g.status()
                            : request.isActive() ? EntityStatus.ACTIVE : EntityStatus.INACTIVE,
                    g.poolCredits(), g.createdAt(), Instant.now());
            // Names are unique in any case; a change of case only is no clash with itself.
            Mono<Boolean> taken = name.equalsIgnoreCase(g.name()) ? Mono.just(false)
                    : store.groupNameTaken(g.workspaceId(), name);
            return taken
                    .flatMap(t -> t
                            ? Mono.<Group>error(ApiException.conflict("duplicate_name",
                                    "the workspace already has a group named '" + name + "'", "name"))
                            : changes.commit(store.update(g, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(g.orgId(), caller.actor(), "team.updated", "team",
                                                    g.id(), Map.of("status", stored.status().name())))
                                            .thenReturn(stored))))
                    .map(TeamView::of);
        });
    }

    /** Alfred: {@code POST /teams/{id}/members/{user_id}?is_admin=false}. */
    @PostMapping("/teams/{teamId}/members/{userId}")
    public Mono<UserView> addMember(Caller caller, @PathVariable String teamId, @PathVariable String userId,
            @RequestParam(name = "is_admin", defaultValue = "false") boolean isAdmin) {
        return lookup.group(caller, teamId, GroupKind.TEAM)
                .flatMap(team -> people.addToTeam(caller, team, userId, isAdmin));
    }

    @DeleteMapping("/teams/{teamId}/members/{userId}")
    public Mono<UserView> removeMember(Caller caller, @PathVariable String teamId, @PathVariable String userId) {
        return lookup.group(caller, teamId, GroupKind.TEAM)
                .flatMap(team -> people.removeFromTeam(caller, team, userId));
    }

    @GetMapping("/teams/{teamId}/members")
    public Flux<UserView> members(Caller caller, @PathVariable String teamId) {
        return lookup.group(caller, teamId, GroupKind.TEAM).flatMapMany(team -> store.membersOfGroup(team.id()))
                .map(UserView::of);
    }
}

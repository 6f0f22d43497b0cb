package dev.tally.governance.hierarchy;

import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.web.ApiException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Loads an entity for an admin of its organisation. Missing and foreign ids both answer 404 with the same message,
 * so nobody can probe another tenant's ids.
 */
@Component
public class Lookup {

    private final HierarchyStore store;

    public Lookup(HierarchyStore store) {
        this.store = store;
    }

    public Mono<Workspace> workspace(Caller caller, String id) {
        return store.workspace(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("workspace", id)))
                .doOnNext(ws -> caller.requireOrgAdmin(ws.orgId(), "workspace", id));
    }

    public Mono<Group> group(Caller caller, String id, GroupKind kind) {
        String what = kind == GroupKind.TEAM ? "team" : "agent group";
        return store.group(id)
                .filter(g -> g.kind() == kind)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound(what, id)))
                .doOnNext(g -> caller.requireOrgAdmin(g.orgId(), what, id));
    }

    public Mono<Member> member(Caller caller, String id, MemberKind kind) {
        String what = kind == MemberKind.USER ? "user" : "agent";
        return store.member(id)
                .filter(m -> m.kind() == kind)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound(what, id)))
                .doOnNext(m -> caller.requireOrgAdmin(m.orgId(), what, id));
    }

    public Mono<Project> project(Caller caller, String id) {
        return store.project(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("project", id)))
                .doOnNext(p -> caller.requireOrgAdmin(p.orgId(), "project", id));
    }

    public Mono<Org> org(Caller caller, String id) {
        return store.org(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("organisation", id)))
                .doOnNext(org -> caller.requireOrgAdmin(org.id(), "organisation", id));
    }
}

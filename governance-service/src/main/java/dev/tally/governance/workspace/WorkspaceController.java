package dev.tally.governance.workspace;

import dev.tally.events.governance.EntityStatus;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Workspace;
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

@RestController
public class WorkspaceController {

    public record CreateWorkspace(String name) {
    }

    public record UpdateWorkspace(String name, EntityStatus status, Boolean isActive) {
    }

    public record WorkspaceView(String id, String orgId, String name, boolean isActive, String status,
            boolean isDefault, Instant createdAt, Instant updatedAt) {

        static WorkspaceView of(Workspace ws) {
            return new WorkspaceView(ws.id(), ws.orgId(), ws.name(), ws.status() == EntityStatus.ACTIVE,
                    ws.status().name(), ws.isDefault(), ws.createdAt(), ws.updatedAt());
        }
    }

    private final HierarchyStore store;
    private final Lookup lookup;
    private final Changes changes;

    public WorkspaceController(HierarchyStore store, Lookup lookup, Changes changes) {
        this.store = store;
        this.lookup = lookup;
        this.changes = changes;
    }

    @PostMapping("/orgs/{orgId}/workspaces")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<WorkspaceView> create(Caller caller, @PathVariable String orgId,
            @RequestBody CreateWorkspace request) {
        return lookup.org(caller, orgId).flatMap(org -> {
            String name = Check.name(request.name(), "name");
            Instant now = Instant.now();
            Workspace ws = new Workspace(Ids.newId(), org.id(), name, EntityStatus.ACTIVE, false, now, now);
            return store.workspaceNameTaken(org.id(), name)
                    .flatMap(taken -> taken
                            ? Mono.error(ApiException.conflict("duplicate_name",
                                    "the organisation already has a workspace named '" + name + "'", "name"))
                            : changes.commit(store.insert(ws)
                                    .then(changes.publish(ws.state()))
                                    .then(changes.audit(org.id(), caller.actor(), "workspace.created", "workspace",
                                            ws.id(), Map.of("name", name)))))
                    .thenReturn(WorkspaceView.of(ws));
        });
    }

    @GetMapping("/orgs/{orgId}/workspaces")
    public Flux<WorkspaceView> list(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId).flatMapMany(org -> store.workspaces(org.id())).map(WorkspaceView::of);
    }

    @GetMapping("/workspaces/{workspaceId}")
    public Mono<WorkspaceView> get(Caller caller, @PathVariable String workspaceId) {
        return lookup.workspace(caller, workspaceId).map(WorkspaceView::of);
    }

    @PatchMapping("/workspaces/{workspaceId}")
    public Mono<WorkspaceView> update(Caller caller, @PathVariable String workspaceId,
            @RequestBody UpdateWorkspace request) {
        return lookup.workspace(caller, workspaceId).flatMap(ws -> {
            EntityStatus status = request.status() != null ? request.status()
                    : request.isActive() != null ? (request.isActive() ? EntityStatus.ACTIVE : EntityStatus.INACTIVE)
                    : ws.status();
            String name = request.name() == null ? ws.name() : Check.name(request.name(), "name");
            Workspace updated = new Workspace(ws.id(), ws.orgId(), name, status, ws.isDefault(), ws.createdAt(),
                    Instant.now());
            // Names are unique in any case; a change of case only is no clash with itself.
            Mono<Boolean> taken = name.equalsIgnoreCase(ws.name()) ? Mono.just(false)
                    : store.workspaceNameTaken(ws.orgId(), name);
            return taken
                    .flatMap(t -> t
                            ? Mono.<Workspace>error(ApiException.conflict("duplicate_name",
                                    "the organisation already has a workspace named '" + name + "'", "name"))
                            : changes.commit(store.update(ws, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(ws.orgId(), caller.actor(), "workspace.updated",
                                                    "workspace", ws.id(), Map.of("status", stored.status().name())))
                                            .thenReturn(stored))))
                    .map(WorkspaceView::of);
        });
    }
}

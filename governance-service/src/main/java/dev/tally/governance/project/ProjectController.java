package dev.tally.governance.project;

import dev.tally.events.governance.EntityStatus;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Project;
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

/**
 * Projects are cost centres across the hierarchy (ApexAgent): a request names one with {@code X-Project-ID}, and the
 * project's budgets then apply to it on top of the member's own chain.
 */
@RestController
public class ProjectController {

    public record CreateProject(String name, String description) {
    }

    public record UpdateProject(Boolean isActive) {
    }

    public record ProjectView(String id, String orgId, String name, String description, boolean isActive,
            String status, Instant createdAt, Instant updatedAt) {

        static ProjectView of(Project p) {
            return new ProjectView(p.id(), p.orgId(), p.name(), p.description(), p.status() == EntityStatus.ACTIVE,
                    p.status().name(), p.createdAt(), p.updatedAt());
        }
    }

    private final HierarchyStore store;
    private final Lookup lookup;
    private final Changes changes;

    public ProjectController(HierarchyStore store, Lookup lookup, Changes changes) {
        this.store = store;
        this.lookup = lookup;
        this.changes = changes;
    }

    @PostMapping("/orgs/{orgId}/projects")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ProjectView> create(Caller caller, @PathVariable String orgId, @RequestBody CreateProject request) {
        return lookup.org(caller, orgId).flatMap(org -> {
            String name = Check.name(request.name(), "name");
            String description = Check.optionalText(request.description(), "description", Check.TEXT_MAX);
            Instant now = Instant.now();
            Project project = new Project(Ids.newId(), org.id(), name, description, EntityStatus.ACTIVE, now, now);
            return store.projectNameTaken(org.id(), name)
                    .flatMap(taken -> taken
                            ? Mono.error(ApiException.conflict("duplicate_name",
                                    "the organisation already has a project named '" + name + "'", "name"))
                            : changes.commit(store.insert(project)
                                    .then(changes.publish(project.state()))
                                    .then(changes.audit(org.id(), caller.actor(), "project.created", "project",
                                            project.id(), Map.of("name", name)))))
                    .thenReturn(ProjectView.of(project));
        });
    }

    @GetMapping("/orgs/{orgId}/projects")
    public Flux<ProjectView> list(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId).flatMapMany(org -> store.projects(org.id())).map(ProjectView::of);
    }

    @GetMapping("/projects/{projectId}")
    public Mono<ProjectView> get(Caller caller, @PathVariable String projectId) {
        return lookup.project(caller, projectId).map(ProjectView::of);
    }

    @PatchMapping("/projects/{projectId}")
    public Mono<ProjectView> update(Caller caller, @PathVariable String projectId,
            @RequestBody UpdateProject request) {
        return lookup.project(caller, projectId).flatMap(p -> {
            EntityStatus status = request.isActive() == null ? p.status()
                    : request.isActive() ? EntityStatus.ACTIVE : EntityStatus.INACTIVE;
            Project updated = new Project(p.id(), p.orgId(), p.name(), p.description(), status, p.createdAt(),
                    Instant.now());
            return changes.commit(store.update(updated)
                            .then(changes.publish(updated.state()))
                            .then(changes.audit(p.orgId(), caller.actor(), "project.updated", "project", p.id(),
                                    Map.of("status", status.name()))))
                    .thenReturn(ProjectView.of(updated));
        });
    }
}

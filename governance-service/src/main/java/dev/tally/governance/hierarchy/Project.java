package dev.tally.governance.hierarchy;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.ProjectState;

import java.time.Instant;

public record Project(String id, String orgId, String name, String description, EntityStatus status,
        Instant createdAt, Instant updatedAt) {

    public ProjectState state() {
        return new ProjectState(id, orgId, name, status, updatedAt);
    }
}

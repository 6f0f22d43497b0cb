package dev.tally.governance.hierarchy;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.WorkspaceState;

import java.time.Instant;

/** An environment inside an organisation; every org gets a "default" one for teams created at the org level. */
public record Workspace(String id, String orgId, String name, EntityStatus status, boolean isDefault,
        Instant createdAt, Instant updatedAt) {

    public WorkspaceState state() {
        return new WorkspaceState(id, orgId, name, status, updatedAt);
    }
}

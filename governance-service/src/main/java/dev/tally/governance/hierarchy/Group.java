package dev.tally.governance.hierarchy;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.GroupState;

import java.time.Instant;

/** A team (its pool is the ledger account with the group's id) or an agent group (no account). */
public record Group(String id, String orgId, String workspaceId, GroupKind kind, String name, String description,
        EntityStatus status, long poolCredits, Instant createdAt, Instant updatedAt) {

    public GroupState state() {
        return new GroupState(id, orgId, workspaceId, kind, name, status, kind == GroupKind.TEAM ? id : null,
                updatedAt);
    }
}

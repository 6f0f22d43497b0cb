package dev.tally.events.governance;

import java.time.Instant;

/** @param poolAccountId the ledger account of a team's shared pool; null for agent groups, which have none */
public record GroupState(String id, String orgId, String workspaceId, GroupKind kind, String name,
        EntityStatus status, String poolAccountId, Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "group:" + id;
    }
}

package dev.tally.events.governance;

import java.time.Instant;

public record WorkspaceState(String id, String orgId, String name, EntityStatus status, Instant updatedAt)
        implements GovernanceState {

    @Override
    public String stateKey() {
        return "workspace:" + id;
    }
}

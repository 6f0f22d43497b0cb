package dev.tally.events.governance;

import java.time.Instant;

/** A cost centre across the hierarchy; a request names it with {@code X-Project-ID}. */
public record ProjectState(String id, String orgId, String name, EntityStatus status, Instant updatedAt)
        implements GovernanceState {

    @Override
    public String stateKey() {
        return "project:" + id;
    }
}

package dev.tally.governance.hierarchy;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.OrgState;

import java.time.Instant;

/** An organisation: the billing tenant. Its ledger and the ledger account of its pool both carry its id. */
public record Org(String id, String name, String slug, String description, EntityStatus status, long creditsPerUsd,
        long criticalOverdraftLimit, Instant createdAt, Instant updatedAt) {

    public OrgState state() {
        return new OrgState(id, name, slug, status, id, id, creditsPerUsd, updatedAt);
    }

    public Org withStatus(EntityStatus newStatus, Instant at) {
        return new Org(id, name, slug, description, newStatus, creditsPerUsd, criticalOverdraftLimit, createdAt, at);
    }
}

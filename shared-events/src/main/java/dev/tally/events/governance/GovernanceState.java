package dev.tally.events.governance;

/**
 * The current state of one governance entity, as published on the compacted topic {@code tally.governance.state}.
 * The record key is {@link #stateKey()}; a later record with the same key replaces the earlier one, and a tombstone
 * (a null value) deletes it. A consumer that reads the topic from the start has everything a gateway needs.
 */
public sealed interface GovernanceState permits OrgState, WorkspaceState, GroupState, MemberState, ApiKeyState,
        ProjectState, PolicyState, BudgetState, PriceState, CredentialState, AdminKeyState, ProjectMemberState {

    /** The Kafka record key: {@code <kind>:<id>}, e.g. {@code member:0193…} or {@code api-key:<sha-256 hex>}
     * ({@code admin-key:<sha-256 hex>} for admin keys, {@code project-member:<project id>/<member id>} for project
     * members). */
    String stateKey();

    /** The organisation the entity belongs to; null for platform-wide entities such as prices. */
    String orgId();
}

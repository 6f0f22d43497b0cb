package dev.tally.governance.org;

import dev.tally.events.governance.EntityStatus;

public final class OrgRequests {

    private OrgRequests() {
    }

    /** @param criticalOverdraftLimit how far CRITICAL requests may overdraw the ledger (Alfred; default 0) */
    public record CreateOrg(String name, String description, Long creditsPerUsd, Long criticalOverdraftLimit) {
    }

    public record UpdateOrg(String name, String description, Long creditsPerUsd, EntityStatus status,
            Boolean isActive) {
    }

    public record CreateAdminKey(String name, String role) {
    }
}

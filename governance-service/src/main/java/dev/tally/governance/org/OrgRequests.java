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

    /** @param expiresAt ISO-8601 date-time; absent for a key that never expires */
    public record CreateAdminKey(String name, String role, String expiresAt) {
    }

    /**
     * @param graceSeconds how long the old key keeps working (default a day, at most a week)
     * @param expiresAt    the new key's expiry; absent for none
     */
    public record RotateAdminKey(Long graceSeconds, String expiresAt) {
    }
}

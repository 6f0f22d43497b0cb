package dev.tally.servicekit.auth;

import dev.tally.events.governance.AdminRole;
import dev.tally.servicekit.web.ApiException;

/**
 * Who sent an admin-API request, from their admin key.
 *
 * @param orgId null for a platform admin, who administers every organisation
 */
public record Caller(AdminRole role, String orgId, String keyId) {

    public boolean isPlatformAdmin() {
        return role == AdminRole.PLATFORM_ADMIN;
    }

    public boolean administers(String orgId) {
        return isPlatformAdmin() || (orgId != null && orgId.equals(this.orgId));
    }

    /**
     * Admits platform admins and the organisation's own owner and admins. Anyone else learns nothing about a foreign
     * organisation: its ids answer 404 with exactly the body an id that does not exist gets, so ids cannot be probed
     * across tenants.
     *
     * @param what the kind of thing {@code id} names in the 404 ("ledger", "channel", …)
     */
    public void requireOrg(String orgId, String what, String id) {
        if (!administers(orgId)) {
            throw ApiException.notFound(what, id);
        }
    }

    /**
     * The organisation a list or a creation is for: an org admin's own (naming another is refused as invalid rather
     * than leaking whether it exists), a platform admin's choice, which they must make.
     */
    public String orgFor(String requested) {
        if (isPlatformAdmin()) {
            if (requested == null || requested.isBlank()) {
                throw ApiException.missing("org_id");
            }
            return requested;
        }
        if (requested != null && !requested.equals(orgId)) {
            throw ApiException.invalid("org_id", "is not the organisation of this admin key");
        }
        return orgId;
    }

    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ApiException.forbidden("only a platform admin key can do this");
        }
    }

    /** How audit records and alerts name the person behind a change, without the key. */
    public String actor() {
        return "admin-key:" + keyId;
    }
}

package dev.tally.notification.auth;

import dev.tally.events.governance.AdminRole;
import dev.tally.notification.web.ApiException;

/**
 * Who sent an API request, from their admin key.
 *
 * @param orgId null for a platform admin
 */
public record Caller(AdminRole role, String orgId, String keyId) {

    public boolean isPlatformAdmin() {
        return role == AdminRole.PLATFORM_ADMIN;
    }

    /**
     * Admits platform admins and the organisation's own admins. Anyone else learns nothing about a foreign
     * organisation's channels or alerts: their ids answer 404, exactly like ids that do not exist.
     */
    public void requireOrg(String orgId, String what, String id) {
        if (!administers(orgId)) {
            throw ApiException.notFound(what, id);
        }
    }

    public boolean administers(String orgId) {
        return isPlatformAdmin() || (orgId != null && orgId.equals(this.orgId));
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

    public String actor() {
        return "admin-key:" + keyId;
    }
}

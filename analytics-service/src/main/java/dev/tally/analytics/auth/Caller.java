package dev.tally.analytics.auth;

import dev.tally.analytics.web.ApiException;
import dev.tally.events.governance.AdminRole;

/** Who sent a request, from their admin key. {@code orgId} is null for platform admins. */
public record Caller(AdminRole role, String orgId, String keyId) {

    public boolean isPlatformAdmin() {
        return role == AdminRole.PLATFORM_ADMIN;
    }

    /**
     * Admits platform admins and the organisation's own owner and admins. A foreign organisation answers 404, exactly
     * like one that does not exist, so org ids cannot be probed across tenants.
     */
    public void requireOrg(String orgId) {
        if (!isPlatformAdmin() && !orgId.equals(this.orgId)) {
            throw ApiException.notFound("organisation", orgId);
        }
    }

    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ApiException.forbidden("only a platform admin key can do this");
        }
    }
}

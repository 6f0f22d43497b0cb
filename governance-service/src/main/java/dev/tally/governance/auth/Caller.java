package dev.tally.governance.auth;

import dev.tally.governance.web.ApiException;

/**
 * Who sent an admin request, resolved from the bearer key.
 *
 * @param orgId    null for platform admins
 * @param memberId the user or agent behind a gateway key; null for admin keys
 * @param groupId  the team a group admin administers
 */
public record Caller(Role role, String orgId, String memberId, String groupId, String keyId) {

    /** How the caller appears in audit records and ledger events. */
    public String actor() {
        return memberId != null ? "member:" + memberId : "admin-key:" + keyId;
    }

    public boolean isPlatformAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    public boolean administers(String orgId) {
        return isPlatformAdmin()
                || ((role == Role.ORG_OWNER || role == Role.ORG_ADMIN) && orgId.equals(this.orgId));
    }

    /**
     * Admits platform admins and the organisation's own admins. Anyone else learns nothing about a foreign
     * organisation: its ids answer 404, exactly like ids that do not exist.
     */
    public void requireOrgAdmin(String orgId, String what, String id) {
        if (administers(orgId)) {
            return;
        }
        if (orgId.equals(this.orgId)) {
            throw ApiException.forbidden("this needs an admin key of the organisation; a " + describe()
                    + " cannot do it");
        }
        throw ApiException.notFound(what, id);
    }

    public void requireOrgOwner(String orgId, String what, String id) {
        requireOrgAdmin(orgId, what, id);
        if (role == Role.ORG_ADMIN) {
            throw ApiException.forbidden("only the organisation's owner key can manage admin keys");
        }
    }

    /** Admits a group admin for their own team, on top of the organisation's admins. */
    public void requireGroupAdmin(String orgId, String groupId, String what, String id) {
        if (role == Role.GROUP_ADMIN && orgId.equals(this.orgId) && groupId != null && groupId.equals(this.groupId)) {
            return;
        }
        requireOrgAdmin(orgId, what, id);
    }

    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ApiException.forbidden("only a platform admin key can do this");
        }
    }

    /** For the caller's own user record: people act on themselves with their gateway key. */
    public String requireUser() {
        if (role != Role.MEMBER && role != Role.GROUP_ADMIN) {
            throw ApiException.forbidden("this route is for users, with their own cpk_ key");
        }
        return memberId;
    }

    private String describe() {
        return switch (role) {
            case MEMBER -> "member key";
            case GROUP_ADMIN -> "group admin key";
            case AGENT -> "agent key";
            default -> role.name().toLowerCase(java.util.Locale.ROOT) + " key";
        };
    }
}

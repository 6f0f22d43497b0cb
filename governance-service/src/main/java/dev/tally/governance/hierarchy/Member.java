package dev.tally.governance.hierarchy;

import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.governance.web.ApiException;

import java.time.Instant;

/** A user (personal allocation = ledger account with the member's id) or an agent (spends from the org pool). */
public record Member(String id, String orgId, String workspaceId, String groupId, MemberKind kind, String name,
        String email, MemberStatus status, long personalQuota, boolean groupAdmin, Instant createdAt,
        Instant updatedAt) {

    public MemberState state() {
        return new MemberState(id, orgId, workspaceId, groupId, kind, name, email, status,
                kind == MemberKind.USER ? id : null, personalQuota, updatedAt);
    }

    public boolean isUser() {
        return kind == MemberKind.USER;
    }

    /**
     * A suspended user keeps their key for reading their own data, but an administrator's suspension stops what they
     * do with credits: giving them away, and deciding others' quota requests.
     *
     * @param action what the user tried, as in "cannot {@code action}"
     */
    public void requireNotSuspended(String action) {
        if (status == MemberStatus.SUSPENDED) {
            throw ApiException.forbidden("you are suspended, and a suspended user cannot " + action
                    + "; an administrator must re-enable you");
        }
    }
}

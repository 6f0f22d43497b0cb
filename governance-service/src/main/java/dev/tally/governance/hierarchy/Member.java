package dev.tally.governance.hierarchy;

import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;

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
}

package dev.tally.events.governance;

import java.time.Instant;

/**
 * A user or an agent.
 *
 * @param groupId          the team or agent group; null for a user who is in no team yet
 * @param accountId        the ledger account of a user's personal allocation; null for agents, which spend from the
 *                         org pool under their budgets
 * @param personalQuota    the credits allocated to a user so far (0 for agents)
 */
public record MemberState(String id, String orgId, String workspaceId, String groupId, MemberKind kind, String name,
        String email, MemberStatus status, String accountId, long personalQuota, Instant updatedAt)
        implements GovernanceState {

    @Override
    public String stateKey() {
        return "member:" + id;
    }
}

package dev.tally.events.governance;

import dev.tally.events.ledger.Scope;

import java.time.Instant;

/**
 * One member of a project: who may name the project with {@code X-Project-ID}. A member is a user or an agent
 * ({@code MEMBER} scope) or a whole team or agent group ({@code GROUP} scope: everyone in it). Removing the member
 * publishes a tombstone for its key.
 *
 * @param member the user or agent (level MEMBER) or the team or agent group (level GROUP)
 */
public record ProjectMemberState(String projectId, String orgId, Scope member, Instant updatedAt)
        implements GovernanceState {

    @Override
    public String stateKey() {
        return "project-member:" + projectId + "/" + member.id();
    }
}

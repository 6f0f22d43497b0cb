package dev.tally.governance.agent;

import dev.tally.events.governance.EntityStatus;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.Member;

import java.time.Instant;

final class AgentViews {

    private AgentViews() {
    }

    record AgentGroupView(String id, String orgId, String workspaceId, String name, String description,
            boolean isActive, String status, Instant createdAt, Instant updatedAt) {

        static AgentGroupView of(Group g) {
            return new AgentGroupView(g.id(), g.orgId(), g.workspaceId(), g.name(), g.description(),
                    g.status() == EntityStatus.ACTIVE, g.status().name(), g.createdAt(), g.updatedAt());
        }
    }

    /** Agent Control's agent: status ACTIVE, DISABLED or BUDGET_EXHAUSTED. */
    record AgentView(String id, String orgId, String workspaceId, String agentGroupId, String name, String status,
            Instant createdAt, Instant updatedAt) {

        static AgentView of(Member m) {
            return new AgentView(m.id(), m.orgId(), m.workspaceId(), m.groupId(), m.name(), m.status().name(),
                    m.createdAt(), m.updatedAt());
        }
    }
}

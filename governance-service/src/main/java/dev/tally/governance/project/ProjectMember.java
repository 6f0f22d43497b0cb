package dev.tally.governance.project;

import dev.tally.events.governance.ProjectMemberState;
import dev.tally.events.ledger.Scope;

import java.time.Instant;

/**
 * Who may name a project with {@code X-Project-ID}: a user or an agent (scope MEMBER), or everyone in a team or
 * agent group (scope GROUP).
 *
 * @param type {@code user}, {@code agent}, {@code team} or {@code agent_group}, as the admin API names them
 * @param name the member's or group's name when it was read
 */
public record ProjectMember(String projectId, String orgId, Scope member, String type, String name,
        Instant createdAt) {

    public ProjectMemberState state() {
        return new ProjectMemberState(projectId, orgId, member, createdAt);
    }
}

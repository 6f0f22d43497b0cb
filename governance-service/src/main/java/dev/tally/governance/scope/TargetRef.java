package dev.tally.governance.scope;

/**
 * The node a policy or budget attaches to, as Agent Control names it: exactly one of these ids. Teams and agent groups
 * are both groups; agents and users are both members.
 */
public record TargetRef(String orgId, String workspaceId, String agentGroupId, String teamId, String agentId,
        String userId, String projectId) {
}

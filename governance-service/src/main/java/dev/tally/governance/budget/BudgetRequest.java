package dev.tally.governance.budget;

import dev.tally.governance.scope.TargetRef;

import java.util.List;

/** Agent Control's budget body; {@code thresholds} in percent default to 50, 75, 90 and 100 (ApexAgent). */
public record BudgetRequest(String name, String period, Long limitCredits, Boolean autoDisable,
        List<Integer> thresholds, String orgId, String workspaceId, String agentGroupId, String teamId,
        String agentId, String userId, String projectId) {

    TargetRef target() {
        return new TargetRef(orgId, workspaceId, agentGroupId, teamId, agentId, userId, projectId);
    }
}

package dev.tally.governance.policy;

import dev.tally.governance.scope.TargetRef;

import java.util.List;

/**
 * Agent Control's policy body, plus tpm_limit, time windows (ApexAgent), fallback models (ElfAutomations) and the
 * critical-priority privilege (Alfred's {@code X-Priority: critical}, which only members granted it may send).
 */
public record PolicyRequest(String name, String orgId, String workspaceId, String agentGroupId, String teamId,
        String agentId, String userId, String projectId, List<String> allowedModels, Integer maxInputTokens,
        Integer maxOutputTokens, Integer rpmLimit, Integer tpmLimit, List<TimeWindowRequest> timeWindows,
        List<String> fallbackModels, Boolean allowCriticalPriority) {

    /** @param days MON…SUN or MONDAY…SUNDAY; @param start and end "HH:mm"; @param timeZone IANA id, default UTC */
    public record TimeWindowRequest(List<String> days, String start, String end, String timeZone) {
    }

    TargetRef target() {
        return new TargetRef(orgId, workspaceId, agentGroupId, teamId, agentId, userId, projectId);
    }
}

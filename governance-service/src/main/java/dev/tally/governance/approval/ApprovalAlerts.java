package dev.tally.governance.approval;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;

import java.time.Instant;

/**
 * The alerts the replaced products sent around quota requests: one when a user asks, one when an admin decides. The
 * alert id is the approval's and the step's, so a replay or a retried relay is delivered once.
 */
final class ApprovalAlerts {

    private ApprovalAlerts() {
    }

    static Alert requested(Approval approval, String requester) {
        return new Alert("approval-requested:" + approval.id(), approval.orgId(), AlertKind.APPROVAL_REQUESTED,
                AlertSeverity.INFO, "Quota request: " + approval.amount() + " credits",
                requester + " asks for " + approval.amount() + " more credits: " + approval.reason()
                        + ". Approve or reject it with POST /approvals/" + approval.id() + "/approve or /reject.",
                null, approval.groupId(), approval.memberId(), approval.id(), approval.requestedAt());
    }

    static Alert decided(Approval approval, String decision) {
        String note = approval.decisionNote() == null || approval.decisionNote().isBlank() ? ""
                : " Note: " + approval.decisionNote();
        return new Alert("approval-decided:" + approval.id(), approval.orgId(), AlertKind.APPROVAL_DECIDED,
                AlertSeverity.INFO, "Quota request " + decision + ": " + approval.amount() + " credits",
                "The request for " + approval.amount() + " credits (" + approval.reason() + ") was " + decision
                        + " by " + approval.decidedBy() + "." + note,
                null, approval.groupId(), approval.memberId(), approval.id(),
                approval.decidedAt() != null ? approval.decidedAt() : Instant.now());
    }
}

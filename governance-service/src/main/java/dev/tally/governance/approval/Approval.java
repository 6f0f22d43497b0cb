package dev.tally.governance.approval;

import java.time.Instant;

/**
 * A member's request for more quota (see docs/governance.md, Approvals).
 *
 * @param status PENDING → APPROVING (the ledger transfer is on its way) → APPROVED, or REJECTED. A transfer the
 *               ledger refuses (the source pool is short) puts the request back to PENDING.
 */
public record Approval(String id, String orgId, String memberId, String groupId, long amount, String reason,
        String status, Instant requestedAt, String decidedBy, Instant decidedAt, String decisionNote,
        String transferId) {
}

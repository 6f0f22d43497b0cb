package dev.tally.governance.credit;

import java.time.Instant;

/**
 * A credit movement governance asked the ledger for; its id is the ledger command id.
 *
 * @param kind   PURCHASE, ALLOCATION (a user's quota or a team's pool at creation), REALLOCATION (admin),
 *               MEMBER_TRANSFER (a user giving from their own quota) or APPROVAL (an approved quota request)
 * @param status PENDING until the ledger answers, then APPLIED or REFUSED (with the ledger's reason in detail)
 */
public record CreditTransfer(String id, String orgId, String kind, String fromAccount, String toAccount, long amount,
        String reason, String actor, String status, String detail, Instant createdAt, Instant updatedAt) {
}

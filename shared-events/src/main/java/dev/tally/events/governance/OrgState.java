package dev.tally.events.governance;

import java.time.Instant;

/**
 * @param ledgerId      the org's CreditLedger; equal to the org id
 * @param poolAccountId the ledger account of the org pool, from which agents spend
 * @param creditsPerUsd how many credits one US dollar buys (Agent Control: 100)
 */
public record OrgState(String id, String name, String slug, EntityStatus status, String ledgerId,
        String poolAccountId, long creditsPerUsd, Instant updatedAt) implements GovernanceState {

    @Override
    public String stateKey() {
        return "org:" + id;
    }

    @Override
    public String orgId() {
        return id;
    }
}

package dev.tally.events.governance;

import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.List;

/**
 * What a member may do, attached to exactly one node of the hierarchy. A gateway merges every policy on a member's
 * chain: allowed models intersect, numeric limits take the minimum, every time window list must admit the request.
 * A null field places no restriction, except for privileges, which null does not grant.
 *
 * @param fallbackModels        cheaper models to use, in order of preference, when the requested one would exceed a
 *                              budget
 * @param allowCriticalPriority whether members under this policy may send {@code X-Priority: critical}: granted when
 *                              a policy of the chain says true and none says false; null (also in records written
 *                              before the field existed) neither grants nor refuses
 */
public record PolicyState(String id, String orgId, Scope target, String name, List<String> allowedModels,
        Integer maxInputTokens, Integer maxOutputTokens, Integer rpmLimit, Integer tpmLimit,
        List<TimeWindow> timeWindows, List<String> fallbackModels, Boolean allowCriticalPriority, Instant updatedAt)
        implements GovernanceState {

    @Override
    public String stateKey() {
        return "policy:" + id;
    }
}

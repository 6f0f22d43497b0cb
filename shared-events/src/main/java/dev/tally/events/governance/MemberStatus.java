package dev.tally.events.governance;

/**
 * Agents are ACTIVE, DISABLED or BUDGET_EXHAUSTED (Agent Control); users are ACTIVE, ON_VACATION or SUSPENDED (Alfred).
 * Only ACTIVE and ON_VACATION members may send requests; a member on vacation lends part of its team's pool.
 */
public enum MemberStatus {
    ACTIVE,
    ON_VACATION,
    SUSPENDED,
    DISABLED,
    BUDGET_EXHAUSTED
}

package dev.tally.governance.auth;

public enum Role {
    /** Runs the platform: creates organisations, edits prices. */
    PLATFORM_ADMIN,
    /** Everything in one organisation, including its admin keys. */
    ORG_OWNER,
    /** Everything in one organisation except admin keys. */
    ORG_ADMIN,
    /** A user whose gateway key also administers their team: approvals of its members. */
    GROUP_ADMIN,
    /** A user: their own status, transfers and quota requests. */
    MEMBER,
    /** An agent: its key is for the gateway only. */
    AGENT
}

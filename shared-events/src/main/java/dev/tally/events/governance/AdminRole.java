package dev.tally.events.governance;

/** What an admin key may administer; gateway keys ({@code cpk_}) are {@link ApiKeyState}s instead. */
public enum AdminRole {
    /** Runs the platform: every organisation. */
    PLATFORM_ADMIN,
    /** Everything in one organisation, including its admin keys. */
    ORG_OWNER,
    /** Everything in one organisation except admin keys. */
    ORG_ADMIN
}

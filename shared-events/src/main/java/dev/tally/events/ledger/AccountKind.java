package dev.tally.events.ledger;

/** What an account in a ledger holds credits for. */
public enum AccountKind {
    ORG,
    GROUP,
    MEMBER,
    PROJECT
}

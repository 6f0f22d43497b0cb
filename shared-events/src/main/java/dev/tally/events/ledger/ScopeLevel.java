package dev.tally.events.ledger;

/** A level of the governance hierarchy that a budget can cap. */
public enum ScopeLevel {
    ORG,
    WORKSPACE,
    GROUP,
    MEMBER,
    PROJECT
}

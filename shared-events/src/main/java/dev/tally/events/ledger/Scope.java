package dev.tally.events.ledger;

/** One node of the governance hierarchy, e.g. {@code (GROUP, "support-bots")}. */
public record Scope(ScopeLevel level, String id) {
}

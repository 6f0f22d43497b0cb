package dev.tally.events.ledger;

/** The part of a reservation or charge that one account carries. */
public record Leg(String accountId, long credits) {
}

package dev.tally.events.ledger;

/**
 * @param outcome the type name of the event the command produced, e.g. {@code CreditReserved}
 * @param credits the credits the command moved: reserved, charged, transferred, purchased or released
 */
public record CommandAcceptedReply(String commandId, String ledgerId, String outcome, long credits)
        implements LedgerReply {
}

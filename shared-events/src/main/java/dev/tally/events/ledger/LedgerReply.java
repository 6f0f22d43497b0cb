package dev.tally.events.ledger;

/** The outcome of one ledger command, sent back to the instance that asked. */
public sealed interface LedgerReply permits CommandAcceptedReply, CommandRejectedReply {

    String commandId();

    String ledgerId();
}

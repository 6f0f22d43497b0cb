package dev.tally.ledger.domain;

import dev.tally.events.ledger.LedgerCommand;

import java.util.List;

/**
 * Several commands of one ledger, decided in order in one unit of work: one transaction, one commit, for what would
 * otherwise be a commit per command. Only ledger-service sends it, to itself, for the commands of one ledger that
 * arrive in one poll; it is never on the wire. The reply is the list of the commands' replies, in order.
 */
public record LedgerBatch(String ledgerId, List<LedgerCommand> commands) {

    public LedgerBatch {
        commands = List.copyOf(commands);
        if (commands.stream().anyMatch(c -> !ledgerId.equals(c.ledgerId()))) {
            throw new IllegalArgumentException("a batch holds the commands of one ledger");
        }
    }
}

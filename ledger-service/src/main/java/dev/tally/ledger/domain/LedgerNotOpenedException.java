package dev.tally.ledger.domain;

import dev.tally.events.ledger.LedgerReply;

/** Carries the refusal of an open-ledger command out of a unit of work that must not create the aggregate. */
public class LedgerNotOpenedException extends RuntimeException {

    private final transient LedgerReply reply;

    public LedgerNotOpenedException(LedgerReply reply) {
        super("ledger not opened: " + reply);
        this.reply = reply;
    }

    public LedgerReply reply() {
        return reply;
    }
}

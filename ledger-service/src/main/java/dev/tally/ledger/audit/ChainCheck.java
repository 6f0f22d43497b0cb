package dev.tally.ledger.audit;

import dev.tally.ledger.audit.chain.EventHash;
import dev.tally.ledger.eventstore.StoredEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows a ledger's hash chain through its stored events, oldest first: a row edited in place no longer gives its
 * stored hash, a deleted row leaves a gap in the sequence. Each problem names the event's sequence.
 */
final class ChainCheck {

    private final String ledgerId;
    private final List<String> problems = new ArrayList<>();
    private String previousHash = EventHash.GENESIS;
    private long expectedSequence;

    ChainCheck(String ledgerId) {
        this.ledgerId = ledgerId;
    }

    void check(StoredEvent event) {
        boolean linked = event.sequence() == expectedSequence;
        for (long missing = expectedSequence; missing < event.sequence(); missing++) {
            problems.add("event store: event sequence " + missing + " is missing");
        }
        if (event.hash() == null) {
            problems.add("event store: event sequence " + event.sequence() + " has no chain hash");
            previousHash = null;
        } else {
            if (linked && previousHash != null) {
                String computed = EventHash.of(previousHash, ledgerId, event.sequence(), event.eventId(),
                        event.ceType(), event.payload());
                if (!computed.equals(event.hash())) {
                    problems.add("event store: event sequence " + event.sequence()
                            + " was altered: its stored content does not give its chain hash");
                }
            }
            previousHash = event.hash();
        }
        expectedSequence = event.sequence() + 1;
    }

    List<String> problems() {
        return problems;
    }
}

package dev.tally.gateway.ledger;

import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;

import java.util.concurrent.CompletableFuture;

/** How commands reach the ledger: {@code LedgerClient} over Kafka, or a function in tests. */
@FunctionalInterface
public interface LedgerTransport {

    /**
     * Sends the command; the result is the ledger's reply. {@code written} completes once the command is durably on
     * its way (the ledger applies it even if this process dies now), or fails if it could not be written.
     */
    CompletableFuture<LedgerReply> send(LedgerCommand command, CompletableFuture<Void> written);
}

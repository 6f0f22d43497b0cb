package dev.tally.governance.ledger;

import reactor.core.publisher.Mono;

/** Reacts to the ledger's answer to a staged command, whether it came back at once or after a resend. */
public interface LedgerOutcomeHandler {

    Mono<Void> onAnswer(LedgerOutcome outcome);
}

package dev.tally.ledger.audit.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintStream;

/**
 * {@code verify --org ID}: asks ledger-service to follow the ledger's hash chain through the event store and to
 * replay it against the balances projection, and prints each difference, naming the event's sequence.
 */
final class LedgerCheck {

    private final LedgerApi api;
    private final PrintStream out;

    LedgerCheck(LedgerApi api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    boolean check(String ledgerId) {
        JsonNode report = api.verify(ledgerId);
        long replayed = report.path("events_replayed").asLong();
        long applied = report.path("projection_events_applied").asLong();
        if (report.path("consistent").asBoolean()) {
            out.println("OK ledger " + ledgerId + ": " + replayed + " events, chain intact, projection agrees");
            return true;
        }
        for (JsonNode difference : report.path("differences")) {
            out.println("FAIL ledger " + ledgerId + ": " + difference.asString());
        }
        if (applied < replayed) {
            out.println("FAIL ledger " + ledgerId + ": the projection has applied " + applied + " of " + replayed
                    + " events (catching up? ask again)");
        }
        return false;
    }
}

package dev.tally.ledger.audit.file;

import dev.tally.ledger.domain.LedgerSnapshot;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The last line of an audit file, {@code {"manifest": {...}}}: what the events above it must add up to.
 *
 * @param from            the export's lower bound on the events' stored time, null for none
 * @param to              the export's upper bound (exclusive), null for none
 * @param count           how many event lines the file holds
 * @param firstSequence   the first event's sequence, null when the window holds no event
 * @param lastSequence    the last event's sequence, null when the window holds no event
 * @param previousHash    the chain hash of the event before the first one ({@code 000…} when the file starts at 0)
 * @param lastHash        the chain hash of the last event (the previous hash again when there is none)
 * @param openingState    the ledger's folded state before the first event, in the aggregate's own JSON form; null when
 *                        the file starts at the ledger's first event
 * @param closing         balances, open holds and budget windows after the last event
 */
public record AuditManifest(String format, String ledgerId, Instant from, Instant to, Instant exportedAt, long count,
        Long firstSequence, Long lastSequence, String previousHash, String lastHash, JsonNode openingState,
        LedgerSnapshot closing) {

    public static final String FORMAT = "tally-audit/1";
}

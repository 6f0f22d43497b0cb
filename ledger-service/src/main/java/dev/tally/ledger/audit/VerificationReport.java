package dev.tally.ledger.audit;

import java.util.List;

/**
 * The result of {@code POST /ledgers/{id}/verify}.
 *
 * @param projectionEventsApplied how many events the projection had folded; fewer than replayed means it lags
 */
public record VerificationReport(String ledgerId, long eventsReplayed, long projectionEventsApplied,
        boolean consistent, List<String> differences) {
}

package dev.tally.analytics.projection;

import dev.tally.events.ledger.LedgerEvent;

/**
 * A ledger event as read from its Kafka record, with its CloudEvents id ({@code ce_id}): the id is what makes a
 * re-delivery count once, so the two travel together.
 */
public record LedgerEventRecord(String eventId, LedgerEvent event) {
}

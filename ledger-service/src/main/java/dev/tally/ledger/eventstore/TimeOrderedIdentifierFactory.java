package dev.tally.ledger.eventstore;

import dev.tally.events.id.TimeOrderedIds;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's message identifiers as time-ordered UUIDs: they are the ledger events' ids, which land in the event store's
 * unique index and in every consumer's idempotency table (analytics, notification, governance), where a random id
 * costs a random index page per insert ({@link TimeOrderedIds} says why). Axon finds this class through
 * {@code META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public final class TimeOrderedIdentifierFactory extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        return TimeOrderedIds.next();
    }
}

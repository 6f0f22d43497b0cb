package dev.tally.ledger.eventstore;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;

import java.time.Instant;

/** One row of the event store as written: the payload is the event's wire JSON. */
public record StoredEvent(String eventId, long sequence, String storedType, String revision, Instant time, byte[] payload) {

    public String ceType() {
        return storedType + ".v" + revision;
    }

    public LedgerEvent event() {
        return (LedgerEvent) TallyJson.read(payload, LedgerMessageTypes.ofCeType(ceType()).javaType());
    }
}

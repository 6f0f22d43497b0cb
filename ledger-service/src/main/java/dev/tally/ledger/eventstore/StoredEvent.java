package dev.tally.ledger.eventstore;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;

import java.time.Instant;

/**
 * One row of the event store as written: the payload is the event's wire JSON.
 *
 * @param hash the event's link in its ledger's hash chain (docs/audit.md); null where it was not read
 */
public record StoredEvent(String eventId, long sequence, String storedType, String revision, Instant time,
        byte[] payload, String hash) {

    public StoredEvent(String eventId, long sequence, String storedType, String revision, Instant time,
            byte[] payload) {
        this(eventId, sequence, storedType, revision, time, payload, null);
    }

    public String ceType() {
        return storedType + ".v" + revision;
    }

    public LedgerEvent event() {
        return (LedgerEvent) TallyJson.read(payload, LedgerMessageTypes.ofCeType(ceType()).javaType());
    }
}

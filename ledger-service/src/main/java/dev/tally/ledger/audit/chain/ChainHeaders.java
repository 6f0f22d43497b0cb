package dev.tally.ledger.audit.chain;

import org.apache.kafka.common.header.Headers;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

import java.nio.charset.StandardCharsets;

/**
 * Where the chain travels: {@code tallyhash} in the stored event's metadata, and on {@code tally.ledger.events} the
 * CloudEvents extension attributes {@code tallysequence} and {@code tallyhash} as the Kafka binding's headers.
 */
public final class ChainHeaders {

    public static final String HASH_METADATA = "tallyhash";
    public static final String SEQUENCE_HEADER = "ce_tallysequence";
    public static final String HASH_HEADER = "ce_tallyhash";

    private ChainHeaders() {
    }

    /** Adds the event's sequence and chain hash to a record's headers, when the stored event has them. */
    public static void add(Headers headers, EventMessage<?> message) {
        if (message instanceof DomainEventMessage<?> event) {
            headers.add(SEQUENCE_HEADER, Long.toString(event.getSequenceNumber()).getBytes(StandardCharsets.UTF_8));
        }
        Object hash = message.getMetaData().get(HASH_METADATA);
        if (hash instanceof String value) {
            headers.add(HASH_HEADER, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}

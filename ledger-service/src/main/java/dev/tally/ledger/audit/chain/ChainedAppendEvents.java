package dev.tally.ledger.audit.chain;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Axon's insert of new events, plus the hash chain: each event's metadata gets {@code tallyhash}, chained to the
 * previous event of its ledger ({@link EventHash}) over the payload exactly as it is stored. The payload is
 * serialized once, as in Axon's own statement; the chain adds one SHA-256 per event.
 */
public final class ChainedAppendEvents implements AppendEventsStatementBuilder {

    private final ChainLinks links;

    public ChainedAppendEvents(ChainLinks links) {
        this.links = links;
    }

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
            List<? extends EventMessage<?>> events, Serializer serializer, TimestampWriter timestampWriter)
            throws SQLException {
        String sql = "INSERT INTO " + schema.domainEventTable() + " (" + String.join(", ",
                schema.eventIdentifierColumn(), schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(),
                schema.typeColumn(), schema.timestampColumn(), schema.payloadTypeColumn(),
                schema.payloadRevisionColumn(), schema.payloadColumn(), schema.metaDataColumn())
                + ") VALUES (?,?,?,?,?,?,?,?,?)";
        PreparedStatement statement = connection.prepareStatement(sql);
        Map<String, ChainLinks.Link> heads = new HashMap<>();
        for (EventMessage<?> message : events) {
            DomainEventMessage<?> event = asDomainEvent(message);
            SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
            String ceType = payload.getType().getName() + ".v" + payload.getType().getRevision();
            ChainLinks.Link head = heads.get(event.getAggregateIdentifier());
            String previous = head != null && head.sequence() == event.getSequenceNumber() - 1 ? head.hash()
                    : links.previous(connection, schema.domainEventTable(), event.getAggregateIdentifier(),
                            event.getSequenceNumber());
            String hash = EventHash.of(previous, event.getAggregateIdentifier(), event.getSequenceNumber(),
                    event.getIdentifier(), ceType, payload.getData());
            heads.put(event.getAggregateIdentifier(), new ChainLinks.Link(event.getSequenceNumber(), hash));
            SerializedObject<?> metaData = serializer.serialize(
                    event.getMetaData().and(ChainHeaders.HASH_METADATA, hash), dataType);
            statement.setString(1, event.getIdentifier());
            statement.setString(2, event.getAggregateIdentifier());
            statement.setLong(3, event.getSequenceNumber());
            statement.setString(4, event.getType());
            timestampWriter.writeTimestamp(statement, 5, event.getTimestamp());
            statement.setString(6, payload.getType().getName());
            statement.setString(7, payload.getType().getRevision());
            statement.setObject(8, dataType == byte[].class ? payload.getData()
                    : serializer.getConverter().convert(payload.getData(), dataType));
            statement.setObject(9, metaData.getData());
            statement.addBatch();
        }
        rememberAfterCommit(heads);
        return statement;
    }

    private void rememberAfterCommit(Map<String, ChainLinks.Link> heads) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> heads.forEach(links::committed));
        }
    }

    /** As Axon's own statement does: an event without an aggregate is stored as its own aggregate's first event. */
    private static DomainEventMessage<?> asDomainEvent(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return domainEvent;
        }
        return new GenericDomainEventMessage<>(null, event.getIdentifier(), 0L, event, event::getTimestamp);
    }
}

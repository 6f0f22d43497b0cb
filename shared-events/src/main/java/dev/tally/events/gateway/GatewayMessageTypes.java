package dev.tally.events.gateway;

import dev.tally.events.envelope.MessageType;

import java.util.List;

/** The wire names of what the gateway publishes. */
public final class GatewayMessageTypes {

    public static final MessageType<GatewayRequestRecord> REQUEST =
            new MessageType<>("gateway", "Request", 1, GatewayRequestRecord.class);

    public static final List<MessageType<?>> ALL = List.of(REQUEST);

    private GatewayMessageTypes() {
    }
}

package dev.tally.events.alert;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;

import java.util.List;

/** The wire names of what travels on {@code tally.alerts}. */
public final class AlertMessageTypes {

    public static final MessageType<Alert> ALERT = new MessageType<>("alert", "Alert", 1, Alert.class);

    public static final List<MessageType<?>> ALL = List.of(ALERT);

    private AlertMessageTypes() {
    }

    public static MessageType<?> ofCeType(String ceType) {
        return ALL.stream().filter(type -> type.ceType().equals(ceType)).findFirst()
                .orElseThrow(() -> new InvalidEnvelopeException("unknown message type " + ceType));
    }
}

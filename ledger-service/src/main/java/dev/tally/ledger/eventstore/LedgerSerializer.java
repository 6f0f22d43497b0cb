package dev.tally.ledger.eventstore;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.jackson3.Jackson3Serializer;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Axon's Jackson 3 serializer with Tally's JSON form and wire type names: the event store keeps
 * {@code tally.ledger.CreditReserved} / revision {@code 1} instead of a Java class name, so the stored payload is
 * byte for byte what goes to Kafka, and renaming a class cannot orphan stored events.
 */
public class LedgerSerializer extends Jackson3Serializer {

    private static final Map<String, MessageType<?>> BY_STORED_NAME = LedgerMessageTypes.all().stream()
            .collect(Collectors.toUnmodifiableMap(LedgerSerializer::storedName, Function.identity()));

    public LedgerSerializer() {
        super(Jackson3Serializer.builder().jsonMapperBuilderCustomizer(TallyJson::configure));
    }

    @Override
    public SerializedType typeForClass(Class type) {
        for (MessageType<?> messageType : LedgerMessageTypes.all()) {
            if (messageType.javaType().equals(type)) {
                return new SimpleSerializedType(storedName(messageType), Integer.toString(messageType.version()));
            }
        }
        return super.typeForClass(type);
    }

    @Override
    protected String resolveClassName(SerializedType serializedType) {
        MessageType<?> messageType = BY_STORED_NAME.get(serializedType.getName());
        return messageType != null ? messageType.javaType().getName() : super.resolveClassName(serializedType);
    }

    public static String storedName(MessageType<?> type) {
        return "tally." + type.domain() + "." + type.name();
    }
}

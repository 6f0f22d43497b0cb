package dev.tally.events.json;

import dev.tally.events.envelope.InvalidEnvelopeException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of every Tally message: snake_case properties, ISO-8601 instants and dates. Every service and
 * the event store use this mapper, so the form on Kafka, in PostgreSQL and in the schemas is the same.
 */
public final class TallyJson {

    private static final JsonMapper MAPPER = newMapper();

    private TallyJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static JsonMapper newMapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        configure(builder);
        return builder.build();
    }

    /** Applies Tally's JSON form to a builder someone else owns, e.g. the event store's serializer. */
    public static void configure(JsonMapper.Builder builder) {
        builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                // Tolerant reader: a newer producer may add fields; missing ones are validated by the receiver.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Credits are exact: 1.5 or "12" is a malformed message, not 1 or 12.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }

    public static byte[] write(Object message) {
        return MAPPER.writeValueAsBytes(message);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidEnvelopeException("cannot read " + type.getSimpleName() + ": the value is null");
            }
            return value;
        } catch (JacksonException e) {
            throw new InvalidEnvelopeException("cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}

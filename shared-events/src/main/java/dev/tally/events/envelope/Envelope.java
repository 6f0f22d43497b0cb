package dev.tally.events.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The CloudEvents attributes that travel as Kafka headers next to every Tally message.
 *
 * @param subject the ledger id for ledger messages, so a consumer can route without reading the value
 */
public record Envelope(String id, String type, String source, Instant time, String subject) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
    }

    public Map<String, byte[]> toHeaders() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.ID, bytes(id));
        headers.put(CloudEventHeaders.TYPE, bytes(type));
        headers.put(CloudEventHeaders.SOURCE, bytes(source));
        headers.put(CloudEventHeaders.TIME, bytes(time.toString()));
        headers.put(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.put(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        if (subject != null) {
            headers.put(CloudEventHeaders.SUBJECT, bytes(subject));
        }
        return headers;
    }

    /**
     * Reads the envelope from record headers.
     *
     * @throws InvalidEnvelopeException when a required attribute is missing or malformed
     */
    public static Envelope fromHeaders(Function<String, byte[]> header) {
        String id = required(header, CloudEventHeaders.ID);
        String type = required(header, CloudEventHeaders.TYPE);
        String source = required(header, CloudEventHeaders.SOURCE);
        String time = required(header, CloudEventHeaders.TIME);
        byte[] subject = header.apply(CloudEventHeaders.SUBJECT);
        try {
            return new Envelope(id, type, source, Instant.parse(time),
                    subject == null ? null : new String(subject, StandardCharsets.UTF_8));
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidEnvelopeException("header " + CloudEventHeaders.TIME + " is not an ISO-8601 instant: " + time);
        }
    }

    private static String required(Function<String, byte[]> header, String name) {
        byte[] value = header.apply(name);
        if (value == null || value.length == 0) {
            throw new InvalidEnvelopeException("missing header " + name);
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.tally.gateway.provider;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS's event-stream binary framing, written by hand for the fake Bedrock: each message is a prelude (total length,
 * headers length, CRC32 of those 8 bytes), string headers (name length, name, type 7, value length, value), the
 * payload, and a CRC32 of everything before it. The SDK checks both CRCs, so a fake that frames wrongly fails loudly.
 */
public final class EventStreamFrames {

    private static final byte STRING = 7;

    private EventStreamFrames() {
    }

    /** A ConverseStream event, e.g. {@code event("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}")}. */
    public static byte[] event(String type, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", type);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return frame(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A modelled error in the stream, e.g. {@code exception("throttlingException", "{\"message\":\"slow\"}")}. */
    public static byte[] exception(String type, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", type);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return frame(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            encodedHeaders.write(n.length);
            encodedHeaders.writeBytes(n);
            encodedHeaders.write(STRING);
            encodedHeaders.write((v.length >> 8) & 0xff);
            encodedHeaders.write(v.length & 0xff);
            encodedHeaders.writeBytes(v);
        });
        byte[] h = encodedHeaders.toByteArray();
        int total = 4 + 4 + 4 + h.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(h.length);
        frame.putInt((int) crc(frame.array(), 0, 8));
        frame.put(h).put(payload);
        frame.putInt((int) crc(frame.array(), 0, total - 4));
        return frame.array();
    }

    /** Frames one after another, as the stream's body. */
    public static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            body.writeBytes(frame);
        }
        return body.toByteArray();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}

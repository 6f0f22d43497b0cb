package dev.tally.gateway.provider;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStreamFramesTest {

    @Test
    void a_frame_is_decoded_by_the_sdk_with_its_headers_and_payload() {
        byte[] frame = EventStreamFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}");

        Message message = Message.decode(ByteBuffer.wrap(frame));

        assertThat(message.getHeaders().get(":event-type").getString()).isEqualTo("contentBlockDelta");
        assertThat(message.getHeaders().get(":message-type").getString()).isEqualTo("event");
        assertThat(message.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
        assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"delta\":{\"text\":\"Hi\"}}");
    }

    @Test
    void frames_one_after_another_decode_as_a_stream() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.feed(EventStreamFrames.concat(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamFrames.exception("throttlingException", "{\"message\":\"slow down\"}")));

        java.util.List<Message> messages = decoder.getDecodedMessages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).getHeaders().get(":exception-type").getString())
                .isEqualTo("throttlingException");
    }

    @Test
    void a_corrupted_payload_fails_the_sdk_message_checksum() {
        byte[] frame = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        frame[frame.length - 6] ^= 1;

        assertThatThrownBy(() -> Message.decode(ByteBuffer.wrap(frame))).hasMessageContaining("Message checksum");
    }

    @Test
    void a_corrupted_length_fails_the_sdk_prelude_checksum() {
        byte[] frame = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        frame[7] ^= 1;

        assertThatThrownBy(() -> Message.decode(ByteBuffer.wrap(frame))).hasMessageContaining("Prelude checksum");
    }
}

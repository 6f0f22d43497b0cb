package dev.tally.gateway.translate;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Anthropic answers and streams (shapes from Anthropic's API reference) as OpenAI chat answers and chunks. */
class ChatFromMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String TOOL_USE_ANSWER = """
            {"id": "msg_01Aq9w938a90dw8q", "type": "message", "role": "assistant",
             "model": "claude-sonnet-4-5-20250929",
             "content": [
               {"type": "text", "text": "I'll check the weather."},
               {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
                "input": {"city": "San Francisco", "unit": "celsius"}}],
             "stop_reason": "tool_use", "stop_sequence": null,
             "usage": {"input_tokens": 472, "output_tokens": 89}}""";

    @Test
    void tool_use_blocks_become_tool_calls_with_arguments_as_a_json_string() {
        ObjectNode answer = ChatFromMessages.answer(JSON.readTree(TOOL_USE_ANSWER), null, 1);

        JsonNode choice = answer.path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        JsonNode message = choice.path("message");
        assertThat(message.path("content").asString()).isEqualTo("I'll check the weather.");
        JsonNode call = message.path("tool_calls").get(0);
        assertThat(call.path("id").asString()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.path("type").asString()).isEqualTo("function");
        assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.path("function").path("arguments").asString()))
                .isEqualTo(JSON.readTree("{\"city\": \"San Francisco\", \"unit\": \"celsius\"}"));
        assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
    }

    @Test
    void the_response_format_tool_is_the_answer_content_as_json_text() {
        ObjectNode answer = ChatFromMessages.answer(JSON.readTree("""
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "tool_use", "id": "toolu_1", "name": "calendar_event",
                              "input": {"name": "Science fair", "date": "Friday"}}],
                 "stop_reason": "tool_use", "usage": {"input_tokens": 90, "output_tokens": 20}}"""),
                "calendar_event", 1);

        JsonNode choice = answer.path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(choice.path("message").has("tool_calls")).isFalse();
        assertThat(JSON.readTree(choice.path("message").path("content").asString()))
                .isEqualTo(JSON.readTree("{\"name\": \"Science fair\", \"date\": \"Friday\"}"));
    }

    @Test
    void a_streamed_tool_use_becomes_a_tool_call_chunk_with_its_id_and_name_then_argument_deltas() {
        List<ObjectNode> chunks = stream(null,
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\",\"type\":"
                        + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"usage\":{\"input_tokens\":472,\"output_tokens\":2}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                        + "\"text\":\"Checking.\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"city\\\": \"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"\\\"Paris\\\"}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":1}",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_2\",\"name\":\"get_time\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":2}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":89}}",
                "{\"type\":\"message_stop\"}");

        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asString()).isEqualTo("assistant");
        assertThat(chunks.get(1).path("choices").get(0).path("delta").path("content").asString())
                .isEqualTo("Checking.");
        JsonNode first = chunks.get(2).path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertThat(first.path("index").asInt()).isEqualTo(0);
        assertThat(first.path("id").asString()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(first.path("function").path("name").asString()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        for (ObjectNode chunk : chunks) {
            for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                if (call.path("index").asInt() == 0) {
                    arguments.append(call.path("function").path("arguments").asString(""));
                }
            }
        }
        assertThat(JSON.readTree(arguments.toString()).path("city").asString()).isEqualTo("Paris");
        JsonNode second = chunks.get(5).path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertThat(second.path("index").asInt()).as("the second tool call").isEqualTo(1);
        assertThat(second.path("id").asString()).isEqualTo("toolu_2");
        ObjectNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices").get(0).path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("id").asString())
                .isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U"));
    }

    @Test
    void a_streamed_response_format_tool_is_content_and_finishes_with_stop() {
        List<ObjectNode> chunks = stream("json_object",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":5}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_1\",\"name\":\"json_object\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"a\\\": 1}\"}}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":9}}");

        StringBuilder content = new StringBuilder();
        chunks.forEach(c -> content.append(c.path("choices").get(0).path("delta").path("content").asString("")));
        assertThat(content.toString()).isEqualTo("{\"a\": 1}");
        assertThat(chunks).noneSatisfy(c -> assertThat(c.path("choices").get(0).path("delta").has("tool_calls"))
                .isTrue());
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("stop");
    }

    private static List<ObjectNode> stream(String formatTool, String... events) {
        ChatStreamFromMessages translation = new ChatStreamFromMessages("claude-sonnet-4-5", formatTool, 1);
        List<ObjectNode> chunks = new ArrayList<>();
        for (String event : events) {
            chunks.addAll(translation.chunks(JSON.readTree(event)));
        }
        return chunks;
    }
}

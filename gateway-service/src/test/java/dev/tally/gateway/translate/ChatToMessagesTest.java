package dev.tally.gateway.translate;

import dev.tally.gateway.error.GatewayException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI chat requests (shapes from OpenAI's API reference) as Anthropic Messages requests, and what is refused. */
class ChatToMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An agent's second turn: it called a tool twice, got both results, and is asked to go on. */
    private static final String AGENT_TURN = """
            {"model": "claude-sonnet-4-5", "user": "user-1234",
             "messages": [
               {"role": "system", "content": "You are a weather assistant."},
               {"role": "user", "content": "Weather in Paris and Boston?"},
               {"role": "assistant", "content": null, "tool_calls": [
                 {"id": "call_1", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                 {"id": "call_2", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Boston\\"}"}}]},
               {"role": "tool", "tool_call_id": "call_1", "content": "18 C, sunny"},
               {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "9 C, rain"}]},
               {"role": "user", "content": "Which is warmer?"}],
             "tools": [{"type": "function", "function": {"name": "get_weather",
               "description": "Current weather of a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                              "required": ["city"]}}}],
             "tool_choice": "required", "parallel_tool_calls": false}""";

    private static ObjectNode translate(String chat) {
        return ChatToMessages.request(JSON.readTree(chat), "claude-sonnet-4-5", 512);
    }

    @Test
    void tools_become_anthropic_tools_with_their_schema_as_input_schema() {
        ObjectNode body = translate(AGENT_TURN);

        JsonNode tool = body.path("tools").get(0);
        assertThat(tool.path("name").asString()).isEqualTo("get_weather");
        assertThat(tool.path("description").asString()).isEqualTo("Current weather of a city");
        assertThat(tool.path("input_schema").path("required").get(0).asString()).isEqualTo("city");
        assertThat(tool.has("type")).isFalse();
    }

    @Test
    void required_tool_choice_is_any_and_no_parallel_calls_disables_parallel_tool_use() {
        JsonNode choice = translate(AGENT_TURN).path("tool_choice");

        assertThat(choice.path("type").asString()).isEqualTo("any");
        assertThat(choice.path("disable_parallel_tool_use").asBoolean()).isTrue();
    }

    @Test
    void each_tool_choice_has_its_anthropic_equivalent() {
        String tools = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]";
        assertThat(translate("{\"messages\": [], " + tools + ", \"tool_choice\": \"auto\"}").path("tool_choice")
                .path("type").asString()).isEqualTo("auto");
        assertThat(translate("{\"messages\": [], " + tools + ", \"tool_choice\": \"none\"}").path("tool_choice")
                .path("type").asString()).isEqualTo("none");
        JsonNode named = translate("{\"messages\": [], " + tools + ", \"tool_choice\": {\"type\": \"function\", "
                + "\"function\": {\"name\": \"f\"}}}").path("tool_choice");
        assertThat(named.path("type").asString()).isEqualTo("tool");
        assertThat(named.path("name").asString()).isEqualTo("f");
        assertThat(translate("{\"messages\": [], " + tools + "}").has("tool_choice")).isFalse();
        assertThat(translate("{\"messages\": [], " + tools + "}").path("tools").get(0).path("input_schema")
                .path("type").asString()).as("a function without parameters takes an empty object")
                .isEqualTo("object");
    }

    @Test
    void tool_calls_become_tool_use_blocks_with_their_arguments_as_input() {
        JsonNode assistant = translate(AGENT_TURN).path("messages").get(1);

        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        assertThat(assistant.path("content")).hasSize(2);
        JsonNode use = assistant.path("content").get(1);
        assertThat(use.path("type").asString()).isEqualTo("tool_use");
        assertThat(use.path("id").asString()).isEqualTo("call_2");
        assertThat(use.path("name").asString()).isEqualTo("get_weather");
        assertThat(use.path("input").path("city").asString()).isEqualTo("Boston");
    }

    @Test
    void consecutive_tool_messages_and_the_next_user_message_form_one_user_turn_of_tool_results_first() {
        ObjectNode body = translate(AGENT_TURN);

        assertThat(body.path("messages").valueStream().map(m -> m.path("role").asString()).toList())
                .containsExactly("user", "assistant", "user");
        JsonNode turn = body.path("messages").get(2).path("content");
        assertThat(turn.valueStream().map(b -> b.path("type").asString()).toList())
                .containsExactly("tool_result", "tool_result", "text");
        assertThat(turn.get(0).path("tool_use_id").asString()).isEqualTo("call_1");
        assertThat(turn.get(0).path("content").asString()).isEqualTo("18 C, sunny");
        assertThat(turn.get(1).path("content").asString()).isEqualTo("9 C, rain");
        assertThat(turn.get(2).path("text").asString()).isEqualTo("Which is warmer?");
    }

    @Test
    void system_user_and_output_limit_are_mapped() {
        ObjectNode body = translate(AGENT_TURN);

        assertThat(body.path("system").asString()).isEqualTo("You are a weather assistant.");
        assertThat(body.path("metadata").path("user_id").asString()).isEqualTo("user-1234");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(body.path("model").asString()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void a_data_url_image_is_a_base64_source_and_an_https_image_a_url_source() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": [
                  {"type": "text", "text": "Compare these."},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "high"}}]}]}""");

        JsonNode content = body.path("messages").get(0).path("content");
        JsonNode inline = content.get(1).path("source");
        assertThat(content.get(1).path("type").asString()).isEqualTo("image");
        assertThat(inline.path("type").asString()).isEqualTo("base64");
        assertThat(inline.path("media_type").asString()).isEqualTo("image/png");
        assertThat(inline.path("data").asString()).isEqualTo("iVBORw0KGgo=");
        JsonNode linked = content.get(2).path("source");
        assertThat(linked.path("type").asString()).isEqualTo("url");
        assertThat(linked.path("url").asString()).isEqualTo("https://example.com/cat.jpg");
    }

    @Test
    void a_json_schema_response_format_is_a_forced_tool_named_after_the_schema() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": "Extract the event."}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "calendar_event", "strict": true,
                   "schema": {"type": "object", "properties": {"name": {"type": "string"}},
                              "required": ["name"]}}}}""");

        assertThat(body.path("tools")).hasSize(1);
        assertThat(body.path("tools").get(0).path("name").asString()).isEqualTo("calendar_event");
        assertThat(body.path("tools").get(0).path("input_schema").path("required").get(0).asString())
                .isEqualTo("name");
        assertThat(body.path("tool_choice").path("type").asString()).isEqualTo("tool");
        assertThat(body.path("tool_choice").path("name").asString()).isEqualTo("calendar_event");
        assertThat(ChatToMessages.responseFormatTool(JSON.readTree("{\"response_format\": {\"type\": "
                + "\"json_schema\", \"json_schema\": {\"name\": \"calendar_event\"}}}"))).isEqualTo("calendar_event");
    }

    @Test
    void a_json_object_response_format_is_a_forced_tool_taking_any_object() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": "JSON please."}],
                 "response_format": {"type": "json_object"}}""");

        assertThat(body.path("tools").get(0).path("name").asString()).isEqualTo(ChatToMessages.JSON_OBJECT_TOOL);
        assertThat(body.path("tools").get(0).path("input_schema").path("type").asString()).isEqualTo("object");
        assertThat(body.path("tool_choice").path("name").asString()).isEqualTo(ChatToMessages.JSON_OBJECT_TOOL);
    }

    @Test
    void a_response_format_beside_tools_lets_the_model_call_one_of_them_or_answer_in_the_format() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": "Go."}],
                 "tools": [{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}],
                 "response_format": {"type": "json_object"}}""");

        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.path("tool_choice").path("type").asString()).isEqualTo("any");
    }

    @Test
    void a_response_format_with_a_forced_tool_of_the_request_is_refused_naming_response_format() {
        assertThatThrownBy(() -> translate("""
                {"messages": [{"role": "user", "content": "Go."}],
                 "tools": [{"type": "function", "function": {"name": "search"}}],
                 "tool_choice": "required", "response_format": {"type": "json_object"}}"""))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("response_format");
                });
    }

    @Test
    void a_json_schema_whose_top_is_not_an_object_is_refused_naming_response_format() {
        assertThatThrownBy(() -> translate("""
                {"messages": [{"role": "user", "content": "List."}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "list",
                   "schema": {"type": "array", "items": {"type": "string"}}}}}"""))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.param()).isEqualTo("response_format"));
    }

    @Test
    void tool_call_arguments_that_are_not_json_are_refused_naming_the_field() {
        assertThatThrownBy(() -> translate("""
                {"messages": [{"role": "user", "content": "Hi"},
                  {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "f", "arguments": "{city: Paris"}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "ok"}]}"""))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("messages[1].tool_calls[0].function.arguments");
                    assertThat(e.getMessage()).contains("not valid JSON");
                });
    }

    @Test
    void what_anthropic_cannot_do_is_refused_naming_the_field() {
        assertRefused("{\"messages\": [], \"n\": 2}", "n");
        assertRefused("{\"messages\": [], \"logprobs\": true}", "logprobs");
        assertRefused("{\"messages\": [], \"top_logprobs\": 3}", "top_logprobs");
        assertRefused("{\"messages\": [], \"frequency_penalty\": 0.5}", "frequency_penalty");
        assertRefused("{\"messages\": [], \"logit_bias\": {\"50256\": -100}}", "logit_bias");
        assertRefused("{\"messages\": [], \"modalities\": [\"text\", \"audio\"]}", "modalities");
        assertRefused("{\"messages\": [], \"functions\": [{\"name\": \"f\"}]}", "functions");
        assertRefused("""
                {"messages": [{"role": "user", "content": [{"type": "input_audio",
                  "input_audio": {"data": "UklGRg==", "format": "wav"}}]}]}""", "messages[0].content[0]");
        assertRefused("{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}", "messages[0].tool_call_id");
        assertRefused("{\"messages\": [], \"tools\": [{\"type\": \"custom\", \"custom\": {\"name\": \"x\"}}]}",
                "tools[0].type");
    }

    @Test
    void defaults_that_sdks_send_unasked_are_accepted() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": "Hi"}], "n": 1, "logprobs": false,
                 "frequency_penalty": 0, "presence_penalty": 0, "response_format": {"type": "text"}}""");

        assertThat(body.has("tools")).isFalse();
    }

    private static void assertRefused(String chat, String field) {
        assertThatThrownBy(() -> translate(chat)).as(chat).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.param()).isEqualTo(field);
        });
    }
}

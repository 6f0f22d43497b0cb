package dev.tally.gateway.translate;

import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.BilledUsage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Anthropic Messages requests (a Claude Code-shaped one among them) as OpenAI chat requests, chat answers as
 * messages, and chat streams as Messages events.
 */
class MessagesToChatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** As Claude Code sends it: system blocks with cache_control, tools, a tool round trip, an image in a result. */
    private static final String CLAUDE_CODE = """
            {"model": "gpt-4.1", "max_tokens": 32000, "stream": true,
             "metadata": {"user_id": "user_abc_account_123_session_9"},
             "system": [
               {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."},
               {"type": "text", "text": "Work in /repo.", "cache_control": {"type": "ephemeral"}}],
             "messages": [
               {"role": "user", "content": [{"type": "text", "text": "List the files",
                                             "cache_control": {"type": "ephemeral"}}]},
               {"role": "assistant", "content": [
                 {"type": "thinking", "thinking": "I should run ls.", "signature": "EqQBCgIYAhIM"},
                 {"type": "text", "text": "Running ls."},
                 {"type": "tool_use", "id": "toolu_01", "name": "Bash", "input": {"command": "ls"}}]},
               {"role": "user", "content": [
                 {"type": "tool_result", "tool_use_id": "toolu_01", "content": [
                   {"type": "text", "text": "README.md\\npom.xml"},
                   {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
                 {"type": "text", "text": "Now read the README."}]}],
             "tools": [{"name": "Bash", "description": "Runs a shell command",
                        "input_schema": {"type": "object", "properties": {"command": {"type": "string"}},
                                         "required": ["command"]}}],
             "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
             "stop_sequences": ["</done>"], "temperature": 1}""";

    private static ObjectNode translate(String messages, String model) {
        return MessagesToChat.request(JSON.readTree(messages), model, 4096);
    }

    @Test
    void system_blocks_become_one_system_message_without_cache_control() {
        ObjectNode chat = translate(CLAUDE_CODE, "gpt-4.1");

        JsonNode system = chat.path("messages").get(0);
        assertThat(system.path("role").asString()).isEqualTo("system");
        assertThat(system.path("content").asString())
                .isEqualTo("You are Claude Code, Anthropic's official CLI for Claude.\n\nWork in /repo.");
        assertThat(chat.toString()).doesNotContain("cache_control");
    }

    @Test
    void tool_use_becomes_tool_calls_and_tool_results_tool_messages_before_the_user_text() {
        ObjectNode chat = translate(CLAUDE_CODE, "gpt-4.1");

        assertThat(chat.path("messages").valueStream().map(m -> m.path("role").asString()).toList())
                .containsExactly("system", "user", "assistant", "tool", "user");
        JsonNode assistant = chat.path("messages").get(2);
        assertThat(assistant.path("content").asString()).as("thinking is not passed back").isEqualTo("Running ls.");
        JsonNode call = assistant.path("tool_calls").get(0);
        assertThat(call.path("id").asString()).isEqualTo("toolu_01");
        assertThat(call.path("function").path("name").asString()).isEqualTo("Bash");
        assertThat(JSON.readTree(call.path("function").path("arguments").asString()).path("command").asString())
                .isEqualTo("ls");
        JsonNode tool = chat.path("messages").get(3);
        assertThat(tool.path("tool_call_id").asString()).isEqualTo("toolu_01");
        assertThat(tool.path("content").asString()).isEqualTo("README.md\npom.xml");
        JsonNode user = chat.path("messages").get(4).path("content");
        assertThat(user.get(0).path("image_url").path("url").asString())
                .as("the result's image goes with the next user message")
                .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(user.get(1).path("text").asString()).isEqualTo("Now read the README.");
    }

    @Test
    void tools_tool_choice_stops_user_and_output_limit_are_mapped() {
        ObjectNode chat = translate(CLAUDE_CODE, "gpt-4.1");

        JsonNode function = chat.path("tools").get(0);
        assertThat(function.path("type").asString()).isEqualTo("function");
        assertThat(function.path("function").path("name").asString()).isEqualTo("Bash");
        assertThat(function.path("function").path("parameters").path("required").get(0).asString())
                .isEqualTo("command");
        assertThat(chat.path("tool_choice").asString()).isEqualTo("auto");
        assertThat(chat.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(chat.path("stop").get(0).asString()).isEqualTo("</done>");
        assertThat(chat.path("user").asString()).isEqualTo("user_abc_account_123_session_9");
        assertThat(chat.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(chat.has("max_completion_tokens")).isFalse();
        assertThat(chat.path("temperature").asInt()).isEqualTo(1);
    }

    @Test
    void a_reasoning_model_gets_max_completion_tokens_and_any_tool_choice_is_required() {
        ObjectNode chat = translate("""
                {"max_tokens": 100, "messages": [{"role": "user", "content": "Hi"}],
                 "tools": [{"name": "f", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "tool", "name": "f"}}""", "o4-mini");

        assertThat(chat.path("max_completion_tokens").asInt()).isEqualTo(4096);
        assertThat(chat.has("max_tokens")).isFalse();
        assertThat(chat.path("tool_choice").path("function").path("name").asString()).isEqualTo("f");
        assertThat(translate("""
                {"messages": [{"role": "user", "content": "Hi"}], "tools": [{"name": "f"}],
                 "tool_choice": {"type": "any"}}""", "gpt-4.1").path("tool_choice").asString())
                .isEqualTo("required");
    }

    @Test
    void what_chat_cannot_do_is_refused_naming_the_field() {
        assertRefused("{\"messages\": [], \"top_k\": 5}", "top_k");
        assertRefused("{\"messages\": [], \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2048}}",
                "thinking");
        assertRefused("{\"messages\": [], \"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]}",
                "tools[0].type");
        assertRefused("""
                {"messages": [{"role": "user", "content": [{"type": "document",
                  "source": {"type": "url", "url": "https://example.com/a.pdf"}}]}]}""",
                "messages[0].content[0].source");
    }

    @Test
    void a_chat_answer_becomes_a_message_with_content_blocks_stop_reason_and_anthropic_usage() {
        JsonNode chat = JSON.readTree("""
                {"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1741570283,
                 "model": "gpt-4.1-2025-04-14",
                 "choices": [{"index": 0, "finish_reason": "tool_calls",
                   "message": {"role": "assistant", "content": "Let me look.", "refusal": null,
                     "tool_calls": [{"id": "call_abc", "type": "function",
                       "function": {"name": "Bash", "arguments": "{\\"command\\":\\"ls\\"}"}}]}}],
                 "usage": {"prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
                           "prompt_tokens_details": {"cached_tokens": 1024}}}""");

        ObjectNode message = MessagesToChat.answer(chat, "gpt-4.1", BilledUsage.openAi(1117, 1024, 46, 0));

        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("id").asString()).startsWith("msg_");
        assertThat(message.path("model").asString()).isEqualTo("gpt-4.1");
        assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Let me look.");
        JsonNode use = message.path("content").get(1);
        assertThat(use.path("type").asString()).isEqualTo("tool_use");
        assertThat(use.path("id").asString()).isEqualTo("call_abc");
        assertThat(use.path("input").path("command").asString()).isEqualTo("ls");
        assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
        JsonNode usage = message.path("usage");
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(1117 - 1024);
        assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(1024);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(46);
    }

    @Test
    void finish_reasons_become_stop_reasons() {
        assertThat(MessagesToChat.stopReason("stop")).isEqualTo("end_turn");
        assertThat(MessagesToChat.stopReason("length")).isEqualTo("max_tokens");
        assertThat(MessagesToChat.stopReason("tool_calls")).isEqualTo("tool_use");
        assertThat(MessagesToChat.stopReason("content_filter")).isEqualTo("refusal");
    }

    @Test
    void a_chat_stream_with_text_then_a_tool_call_becomes_the_messages_event_sequence() {
        MessagesStreamFromChat stream = new MessagesStreamFromChat("gpt-4.1");
        List<ObjectNode> events = new ArrayList<>();
        for (String chunk : List.of(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me \"}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"look.\"}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\","
                        + "\"arguments\":\"\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\"{\\\"command\\\":\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\"\\\"ls\\\"}\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")) {
            events.addAll(stream.events(JSON.readTree(chunk)));
        }
        assertThat(stream.finished()).isTrue();
        events.addAll(stream.end(BilledUsage.openAi(30, 0, 12, 0)));

        assertThat(events.stream().map(e -> e.path("type").asString()).toList()).containsExactly(
                "message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(0).path("message").path("id").asString()).isEqualTo("msg_1");
        assertThat(events.get(1).path("content_block").path("type").asString()).isEqualTo("text");
        assertThat(events.get(2).path("delta").path("text").asString()).isEqualTo("Let me ");
        JsonNode use = events.get(5);
        assertThat(use.path("index").asInt()).isEqualTo(1);
        assertThat(use.path("content_block").path("type").asString()).isEqualTo("tool_use");
        assertThat(use.path("content_block").path("id").asString()).isEqualTo("call_1");
        assertThat(use.path("content_block").path("name").asString()).isEqualTo("Bash");
        assertThat(events.get(6).path("index").asInt()).isEqualTo(1);
        assertThat(events.get(6).path("delta").path("type").asString()).isEqualTo("input_json_delta");
        assertThat(events.get(6).path("delta").path("partial_json").asString()
                + events.get(7).path("delta").path("partial_json").asString()).isEqualTo("{\"command\":\"ls\"}");
        JsonNode delta = events.get(9);
        assertThat(delta.path("delta").path("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(delta.path("usage").path("input_tokens").asLong()).isEqualTo(30);
        assertThat(delta.path("usage").path("output_tokens").asLong()).isEqualTo(12);
    }

    @Test
    void a_chat_stream_that_did_not_finish_has_not_finished() {
        MessagesStreamFromChat stream = new MessagesStreamFromChat("gpt-4.1");
        stream.events(JSON.readTree("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}"));

        assertThat(stream.finished()).isFalse();
        assertThat(stream.ended()).isFalse();
    }

    private static void assertRefused(String messages, String field) {
        assertThatThrownBy(() -> translate(messages, "gpt-4.1")).as(messages)
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(field);
                });
    }
}

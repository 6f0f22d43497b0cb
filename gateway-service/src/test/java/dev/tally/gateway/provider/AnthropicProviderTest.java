package dev.tally.gateway.provider;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AnthropicProvider provider = new AnthropicProvider("anthropic", null, JSON, Duration.ofSeconds(5));

    private ObjectNode translate(String openAiBody, int maxTokens) {
        ObjectNode body = (ObjectNode) JSON.readTree(openAiBody);
        return provider.toAnthropic(new ProviderRequest(body, "claude-3-haiku", maxTokens, "sk-ant", 10));
    }

    @Test
    void system_and_developer_messages_join_into_system() {
        ObjectNode body = translate("""
                {"messages": [{"role": "system", "content": "Be terse."},
                              {"role": "user", "content": "Hi"},
                              {"role": "developer", "content": "Answer in French."}]}""", 100);

        assertThat(body.path("system").asString()).isEqualTo("Be terse.\n\nAnswer in French.");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("Hi");
    }

    @Test
    void without_system_messages_there_is_no_system_field() {
        ObjectNode body = translate("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", 100);

        assertThat(body.has("system")).isFalse();
    }

    @Test
    void user_and_assistant_keep_their_roles_and_other_roles_become_user() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                              {"role": "tool", "content": "c"}]}""", 100);

        assertThat(body.path("messages").valueStream().map(m -> m.path("role").asString()).toList())
                .containsExactly("user", "assistant", "user");
        assertThat(body.path("messages").valueStream().map(m -> m.path("content").asString()).toList())
                .containsExactly("a", "b", "c");
    }

    @Test
    void array_content_becomes_its_text() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": [{"type": "text", "text": "one "},
                                                           {"type": "text", "text": "two"}]}]}""", 100);

        assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("one two");
    }

    @Test
    void max_tokens_and_model_come_from_the_request_the_gateway_reserved_for() {
        ObjectNode body = translate("""
                {"model": "something-else", "max_tokens": 4096,
                 "messages": [{"role": "user", "content": "Hi"}]}""", 256);

        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("model").asString()).isEqualTo("claude-3-haiku");
    }

    @Test
    void a_stop_string_becomes_a_single_stop_sequence() {
        ObjectNode body = translate("{\"stop\": \"END\", \"messages\": []}", 100);

        assertThat(body.path("stop_sequences").valueStream().map(JsonNode::asString).toList())
                .containsExactly("END");
    }

    @Test
    void a_stop_array_becomes_the_stop_sequences() {
        ObjectNode body = translate("{\"stop\": [\"END\", \"STOP\"], \"messages\": []}", 100);

        assertThat(body.path("stop_sequences").valueStream().map(JsonNode::asString).toList())
                .containsExactly("END", "STOP");
    }

    @Test
    void without_stop_there_are_no_stop_sequences() {
        ObjectNode body = translate("{\"messages\": []}", 100);

        assertThat(body.has("stop_sequences")).isFalse();
    }

    @Test
    void temperature_and_top_p_are_copied() {
        ObjectNode body = translate("{\"temperature\": 0.2, \"top_p\": 0.9, \"messages\": []}", 100);

        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    }

    @Test
    void absent_temperature_is_not_sent() {
        ObjectNode body = translate("{\"messages\": []}", 100);

        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("top_p")).isFalse();
    }

    @Test
    void max_tokens_stop_reason_finishes_with_length() {
        assertThat(AnthropicProvider.finishReason("max_tokens")).isEqualTo("length");
    }

    @Test
    void tool_use_stop_reason_finishes_with_tool_calls() {
        assertThat(AnthropicProvider.finishReason("tool_use")).isEqualTo("tool_calls");
    }

    @Test
    void end_turn_and_stop_sequence_finish_with_stop() {
        assertThat(AnthropicProvider.finishReason("end_turn")).isEqualTo("stop");
        assertThat(AnthropicProvider.finishReason("stop_sequence")).isEqualTo("stop");
    }
}

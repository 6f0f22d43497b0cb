package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AnthropicProvider provider = new AnthropicProvider("anthropic", null, JSON, Duration.ofSeconds(5),
            new Tokenizer());

    private static ProviderRequest request() {
        return new ProviderRequest(JSON.createObjectNode(), "claude-3-haiku", 100, "sk-ant", 10);
    }

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
        assertThat(body.path("messages").get(0).path("content").get(0).path("text").asString()).isEqualTo("Hi");
    }

    @Test
    void without_system_messages_there_is_no_system_field() {
        ObjectNode body = translate("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", 100);

        assertThat(body.has("system")).isFalse();
    }

    @Test
    void user_and_assistant_keep_their_roles_and_their_text_becomes_text_blocks() {
        ObjectNode body = translate("""
                {"messages": [{"role": "user", "content": [{"type": "text", "text": "one "},
                                                           {"type": "text", "text": "two"}]},
                              {"role": "assistant", "content": "b"}]}""", 100);

        assertThat(body.path("messages").valueStream().map(m -> m.path("role").asString()).toList())
                .containsExactly("user", "assistant");
        assertThat(body.path("messages").get(0).path("content").valueStream().map(b -> b.path("text").asString())
                .toList()).containsExactly("one ", "two");
        assertThat(body.path("messages").get(1).path("content").get(0).path("text").asString()).isEqualTo("b");
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
    void cache_reads_and_writes_are_added_to_the_uncached_input() {
        ProviderResponse response = provider.toOpenAi(request(), (ObjectNode) JSON.readTree("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-haiku-20240307",
                 "content":[{"type":"text","text":"Bonjour"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":4096,
                  "output_tokens":30}}"""));

        assertThat(response.usage()).isEqualTo(new BilledUsage(12, 4096, 2048, 30, 0, true));
        JsonNode usage = response.body().path("usage");
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(12 + 4096 + 2048);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(4096);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(30);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(12 + 4096 + 2048 + 30);
    }

    @Test
    void an_answer_without_cache_fields_is_plain_input_and_output() {
        ProviderResponse response = provider.toOpenAi(request(), (ObjectNode) JSON.readTree("""
                {"content":[{"type":"text","text":"Hi"}],"usage":{"input_tokens":12,"output_tokens":3}}"""));

        assertThat(response.usage()).isEqualTo(BilledUsage.of(12, 3));
    }

    @Test
    void a_stream_bills_the_input_side_of_message_start_and_the_output_of_message_delta() {
        AnthropicProvider streaming = new AnthropicProvider("anthropic", Upstream.events(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":14,"
                        + "\"cache_creation_input_tokens\":1500,\"cache_read_input_tokens\":3000,"
                        + "\"output_tokens\":1}}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                        + "\"text\":\"Bonjour\"}}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":25}}",
                "{\"type\":\"message_stop\"}"), JSON, Duration.ofSeconds(5), new Tokenizer());

        List<StreamChunk> chunks = streaming.stream(request()).collectList().block();

        assertThat(chunks).filteredOn(StreamChunk::hasUsage).singleElement().satisfies(chunk -> {
            assertThat(chunk.usage()).isEqualTo(new BilledUsage(14, 3000, 1500, 25, 0, true));
            assertThat(chunk.chunk().path("usage").path("prompt_tokens").asLong()).isEqualTo(4514);
            assertThat(chunk.chunk().path("usage").path("completion_tokens").asLong()).isEqualTo(25);
        });
    }

    @Test
    void a_message_delta_that_repeats_the_input_side_wins_over_message_start() {
        BilledUsage usage = AnthropicProvider.anthropicUsage(
                JSON.readTree("{\"input_tokens\":14,\"cache_read_input_tokens\":0,\"output_tokens\":1}"),
                JSON.readTree("{\"input_tokens\":14,\"cache_read_input_tokens\":3000,\"output_tokens\":25}"));

        assertThat(usage).isEqualTo(new BilledUsage(14, 3000, 0, 25, 0, true));
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

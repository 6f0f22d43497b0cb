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

/**
 * The providers' translated paths end to end over a canned upstream: a Messages request answered by a chat server
 * (usage on message_stop, the charge's source), and a chat request answered by Anthropic with a tool call.
 */
class TranslatingProvidersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PROMPT_ESTIMATE = 40;

    private static ProviderRequest messages(String model) {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"model": "%s", "max_tokens": 100, "messages": [{"role": "user", "content": "List the files"}],
                 "tools": [{"name": "Bash", "input_schema": {"type": "object"}}]}""".formatted(model));
        return new ProviderRequest(body, model, 100, "sk", PROMPT_ESTIMATE, UpstreamApi.MESSAGES);
    }

    private static OpenAiCompatibleProvider openAi(org.springframework.web.reactive.function.client.WebClient http) {
        return new OpenAiCompatibleProvider("openai", http, JSON, Duration.ofSeconds(5), new Tokenizer());
    }

    @Test
    void a_messages_request_to_a_chat_server_is_answered_as_a_message_billed_from_the_chat_usage() {
        ProviderResponse response = openAi(Upstream.json("""
                {"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4.1",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": "README.md"}}],
                 "usage": {"prompt_tokens": 50, "completion_tokens": 4, "total_tokens": 54}}"""))
                .complete(messages("gpt-4.1")).block();

        assertThat(response.usage()).isEqualTo(BilledUsage.openAi(50, 0, 4, 0));
        assertThat(response.body().path("type").asString()).isEqualTo("message");
        assertThat(response.body().path("content").get(0).path("text").asString()).isEqualTo("README.md");
        assertThat(response.body().path("stop_reason").asString()).isEqualTo("end_turn");
        assertThat(response.body().path("usage").path("input_tokens").asLong()).isEqualTo(50);
    }

    @Test
    void a_streamed_messages_request_ends_with_message_stop_carrying_the_chat_usage() {
        List<StreamChunk> events = openAi(Upstream.events(
                "{\"id\":\"chatcmpl-2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":\"Hi\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"chatcmpl-2\",\"choices\":[],\"usage\":{\"prompt_tokens\":61,\"completion_tokens\":7,"
                        + "\"total_tokens\":68}}",
                "[DONE]")).stream(messages("gpt-4.1")).collectList().block();

        assertThat(events.stream().map(e -> e.chunk().path("type").asString()).toList()).containsExactly(
                "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
                "message_stop");
        assertThat(events).filteredOn(StreamChunk::hasUsage).singleElement().satisfies(stop -> {
            assertThat(stop.chunk().path("type").asString()).isEqualTo("message_stop");
            assertThat(stop.usage()).isEqualTo(BilledUsage.openAi(61, 0, 7, 0));
        });
        assertThat(events.get(4).chunk().path("usage").path("input_tokens").asLong()).isEqualTo(61);
    }

    @Test
    void a_chat_server_that_sends_no_usage_is_charged_what_the_gateway_counted_once_it_finished() {
        List<StreamChunk> events = openAi(Upstream.events(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
                "[DONE]")).stream(messages("gpt-4.1")).collectList().block();

        StreamChunk stop = events.get(events.size() - 1);
        assertThat(stop.chunk().path("type").asString()).isEqualTo("message_stop");
        assertThat(stop.usage()).isEqualTo(BilledUsage.counted(PROMPT_ESTIMATE,
                new Tokenizer().count("gpt-4.1", "Hello there")));
        assertThat(events.get(events.size() - 2).chunk().path("delta").path("stop_reason").asString())
                .isEqualTo("max_tokens");
    }

    @Test
    void a_chat_stream_that_breaks_off_has_no_message_stop_so_the_gateway_sees_a_broken_stream() {
        List<StreamChunk> events = openAi(Upstream.events(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half\"}}]}"))
                .stream(messages("gpt-4.1")).collectList().block();

        assertThat(events).noneMatch(StreamChunk::hasUsage);
        assertThat(events).noneMatch(e -> "message_stop".equals(e.chunk().path("type").asString()));
    }

    @Test
    void a_chat_request_to_anthropic_streams_its_tool_call_back_with_the_usage_chunk_last() {
        AnthropicProvider anthropic = new AnthropicProvider("anthropic", Upstream.events(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":30,"
                        + "\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":12}}",
                "{\"type\":\"message_stop\"}"), JSON, Duration.ofSeconds(5), new Tokenizer());
        ObjectNode chat = (ObjectNode) JSON.readTree("""
                {"messages": [{"role": "user", "content": "Weather?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather"}}]}""");

        List<StreamChunk> chunks = anthropic.stream(new ProviderRequest(chat, "claude-sonnet-4-5", 100, "sk", 10))
                .collectList().block();

        JsonNode call = chunks.get(1).chunk().path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertThat(call.path("id").asString()).isEqualTo("toolu_1");
        assertThat(chunks.get(2).chunk().path("choices").get(0).path("delta").path("tool_calls").get(0)
                .path("function").path("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(chunks.get(2).text()).as("tool input counts as generated").contains("Paris");
        assertThat(chunks.get(chunks.size() - 2).chunk().path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("tool_calls");
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(BilledUsage.anthropic(30, 0, 0, 12));
    }
}

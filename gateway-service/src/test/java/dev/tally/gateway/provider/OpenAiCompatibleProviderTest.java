package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenAI's usage block, read into what was billed: cached tokens out of the prompt, reasoning out of the completion;
 * embeddings bill their prompt alone, legacy completions their text. Each API at its own path.
 */
class OpenAiCompatibleProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "gpt-4o-mini";
    private static final int PROMPT_ESTIMATE = 21;

    private final Tokenizer tokenizer = new Tokenizer();

    private OpenAiCompatibleProvider provider(WebClient upstream) {
        return new OpenAiCompatibleProvider("openai", upstream, JSON, Duration.ofSeconds(5), tokenizer);
    }

    private static ProviderRequest request() {
        return new ProviderRequest(JSON.createObjectNode(), MODEL, 500, "sk-test", PROMPT_ESTIMATE);
    }

    private BilledUsage complete(String answer) {
        return provider(Upstream.json(answer)).complete(request()).block().usage();
    }

    private List<StreamChunk> stream(String... data) {
        return provider(Upstream.events(data)).stream(request()).collectList().block();
    }

    @Test
    void cached_prompt_tokens_and_reasoning_tokens_are_split_out_of_their_totals() {
        BilledUsage usage = complete("""
                {"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"Paris."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                  "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":256,"audio_tokens":0}}}""");

        assertThat(usage).isEqualTo(new BilledUsage(86, 1920, 0, 44, 256, true));
        assertThat(usage.totalInputTokens()).isEqualTo(2006);
        assertThat(usage.totalOutputTokens()).isEqualTo(300);
    }

    @Test
    void usage_without_details_is_all_uncached_input_and_plain_output() {
        BilledUsage usage = complete("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Paris."}}],
                 "usage":{"prompt_tokens":28,"completion_tokens":4,"total_tokens":32}}""");

        assertThat(usage).isEqualTo(BilledUsage.of(28, 4));
    }

    @Test
    void an_answer_without_usage_is_charged_the_prompt_estimate_and_the_tokens_of_every_choice_and_tool_call() {
        String content = "The weather in Paris, and in Lyon:";
        String arguments = "{\"city\": \"Paris\", \"unit\": \"celsius\"}";
        String second = "A second choice says something else entirely.";
        BilledUsage usage = complete("""
                {"id":"c1","object":"chat.completion","choices":[
                  {"index":0,"message":{"role":"assistant","content":"%s","tool_calls":[{"id":"call_1",
                   "type":"function","function":{"name":"weather","arguments":"%s"}}]},"finish_reason":"tool_calls"},
                  {"index":1,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}"""
                .formatted(content, arguments.replace("\"", "\\\""), second));

        assertThat(usage.reported()).isFalse();
        assertThat(usage.inputTokens()).isEqualTo(PROMPT_ESTIMATE);
        assertThat(usage.totalOutputTokens()).isEqualTo(tokenizer.count(MODEL, content + "weather" + arguments
                + second)).isGreaterThan(tokenizer.count(MODEL, content));
    }

    @Test
    void a_streamed_usage_chunk_is_split_the_same_way() {
        List<StreamChunk> chunks = stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":90,\"total_tokens\":1290,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":1024},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":64}}}",
                "[DONE]");

        assertThat(chunks).hasSize(3);
        assertThat(chunks.subList(0, 2)).noneMatch(StreamChunk::hasUsage);
        assertThat(chunks.get(2).usage()).isEqualTo(new BilledUsage(176, 1024, 0, 26, 64, true));
    }

    @Test
    void streamed_tool_call_arguments_count_as_generated_text() {
        List<StreamChunk> chunks = stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\","
                        + "\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\"{\\\"city\\\": \"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
                "[DONE]");

        assertThat(chunks.stream().map(StreamChunk::text).collect(Collectors.joining()))
                .isEqualTo("weather{\"city\": \"Paris\"}");
        assertThat(chunks).noneMatch(StreamChunk::hasUsage);
    }

    @Test
    void embeddings_go_to_their_path_without_a_stream_field_and_are_charged_their_prompt_tokens() {
        AtomicReference<String> sent = new AtomicReference<>();
        ObjectNode body = JSON.createObjectNode().put("model", "text-embedding-3-small").put("input", "Hello");
        ProviderResponse response = provider(recording(sent, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":7,"total_tokens":7}}"""))
                .complete(new ProviderRequest(body, "text-embedding-3-small", 0, "sk-test", 5,
                        UpstreamApi.EMBEDDINGS)).block();

        assertThat(response.usage()).isEqualTo(BilledUsage.of(7, 0));
        assertThat(sent.get()).startsWith("POST /embeddings ");
        assertThat(JSON.readTree(sent.get().substring(sent.get().indexOf('{'))).has("stream"))
                .as("OpenAI refuses fields an endpoint does not know").isFalse();
    }

    @Test
    void an_embedding_answer_without_usage_is_charged_the_gateways_count_of_the_input() {
        BilledUsage usage = provider(Upstream.json("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}]}"""))
                .complete(new ProviderRequest(JSON.createObjectNode(), "nomic-embed-text", 0, null, 12,
                        UpstreamApi.EMBEDDINGS)).block().usage();

        assertThat(usage).isEqualTo(BilledUsage.counted(12, 0));
    }

    @Test
    void a_legacy_completion_goes_to_its_path_and_without_usage_is_charged_the_text_of_every_choice() {
        AtomicReference<String> sent = new AtomicReference<>();
        BilledUsage usage = provider(recording(sent, """
                {"id":"cmpl-1","object":"text_completion","model":"gpt-3.5-turbo-instruct","choices":[
                  {"index":0,"text":" Paris is the capital.","finish_reason":"stop"},
                  {"index":1,"text":" It is Paris.","finish_reason":"stop"}]}"""))
                .complete(new ProviderRequest(JSON.createObjectNode().put("prompt", "Capital of France?"),
                        "gpt-3.5-turbo-instruct", 16, null, 6, UpstreamApi.COMPLETIONS)).block().usage();

        assertThat(sent.get()).startsWith("POST /completions ");
        assertThat(usage).isEqualTo(BilledUsage.counted(6, tokenizer.count("gpt-3.5-turbo-instruct",
                " Paris is the capital. It is Paris.")));
    }

    @Test
    void a_streamed_legacy_completion_counts_its_text_and_reads_its_usage_chunk() {
        List<StreamChunk> chunks = provider(Upstream.events(
                "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" Par\"}]}",
                "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"is\","
                        + "\"finish_reason\":\"stop\"}]}",
                "{\"object\":\"text_completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":6,"
                        + "\"completion_tokens\":2,\"total_tokens\":8}}",
                "[DONE]"))
                .stream(new ProviderRequest(JSON.createObjectNode(), "gpt-3.5-turbo-instruct", 16, null, 6,
                        UpstreamApi.COMPLETIONS)).collectList().block();

        assertThat(chunks.stream().map(StreamChunk::text).collect(Collectors.joining())).isEqualTo(" Paris");
        assertThat(chunks.get(2).usage()).isEqualTo(BilledUsage.of(6, 2));
    }

    @Test
    void a_response_goes_to_its_path_as_sent_and_its_cached_and_reasoning_tokens_are_split_out() {
        AtomicReference<String> sent = new AtomicReference<>();
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-5").put("input", "Hi");
        body.putObject("stream_options").put("include_obfuscation", false);
        BilledUsage usage = provider(recording(sent, """
                {"id":"resp_1","object":"response","status":"completed","output":[{"type":"message",
                 "content":[{"type":"output_text","text":"Paris."}]}],
                 "usage":{"input_tokens":2006,"input_tokens_details":{"cached_tokens":1920},"output_tokens":300,
                  "output_tokens_details":{"reasoning_tokens":256},"total_tokens":2306}}"""))
                .complete(new ProviderRequest(body, "gpt-5", 300, null, 9, UpstreamApi.RESPONSES)).block().usage();

        assertThat(sent.get()).startsWith("POST /responses ").doesNotContain("stream");
        assertThat(usage).isEqualTo(new BilledUsage(86, 1920, 0, 44, 256, true));
    }

    @Test
    void a_response_without_usage_is_charged_the_estimate_and_the_text_and_tool_calls_it_generated() {
        BilledUsage usage = provider(Upstream.json("""
                {"id":"resp_1","object":"response","output":[
                 {"type":"reasoning","summary":[{"type":"summary_text","text":"Thinking of weather."}]},
                 {"type":"function_call","call_id":"call_1","name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                 {"type":"message","content":[{"type":"output_text","text":"Paris."}]}]}"""))
                .complete(new ProviderRequest(JSON.createObjectNode(), "gpt-5", 300, null, 9,
                        UpstreamApi.RESPONSES)).block().usage();

        assertThat(usage).isEqualTo(BilledUsage.counted(9, tokenizer.count("gpt-5",
                "Thinking of weather.weather{\"city\":\"Paris\"}Paris.")));
    }

    @Test
    void a_responses_stream_counts_every_delta_and_reads_the_usage_of_response_completed_only() {
        List<StreamChunk> chunks = provider(Upstream.events(
                "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"usage\":null}}",
                "{\"type\":\"response.output_text.delta\",\"delta\":\"Par\"}",
                "{\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{}\"}",
                "{\"type\":\"response.output_text.done\",\"text\":\"Par\"}",
                "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"usage\":{"
                        + "\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":4},"
                        + "\"output_tokens\":30,\"output_tokens_details\":{\"reasoning_tokens\":20}}}}"))
                .stream(new ProviderRequest(JSON.createObjectNode(), "gpt-5", 300, null, 9, UpstreamApi.RESPONSES))
                .collectList().block();

        assertThat(chunks.stream().map(StreamChunk::text).collect(Collectors.joining())).isEqualTo("Par{}");
        assertThat(chunks.subList(0, 4)).noneMatch(StreamChunk::hasUsage);
        assertThat(chunks.get(4).usage()).isEqualTo(new BilledUsage(8, 4, 0, 10, 20, true));
    }

    /** Answers {@code answer} and keeps "METHOD path body" of the request sent. */
    private static WebClient recording(AtomicReference<String> sent, String answer) {
        return WebClient.builder().exchangeFunction(request -> {
            MockClientHttpRequest written = new MockClientHttpRequest(request.method(), request.url());
            return request.writeTo(written, ExchangeStrategies.withDefaults())
                    .then(Mono.defer(written::getBodyAsString))
                    .doOnNext(body -> sent.set(request.method().name() + " " + request.url().getPath() + " " + body))
                    .thenReturn(ClientResponse.create(HttpStatus.OK)
                            .header(HttpHeaders.CONTENT_TYPE, "application/json").body(answer).build());
        }).build();
    }
}

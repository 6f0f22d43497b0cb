package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MockProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "gpt-4o-mini";

    private final Tokenizer tokenizer = new Tokenizer();
    private final MockProvider provider = new MockProvider(JSON, tokenizer);

    private static ProviderRequest request(int maxTokens) {
        return new ProviderRequest(JSON.createObjectNode(), MODEL, maxTokens, null, 12);
    }

    private ProviderResponse complete(int maxTokens) {
        return provider.complete(request(maxTokens)).block();
    }

    private static String content(ProviderResponse response) {
        return response.body().path("choices").get(0).path("message").path("content").asString();
    }

    private static String finishReason(ProviderResponse response) {
        return response.body().path("choices").get(0).path("finish_reason").asString();
    }

    @Test
    void a_roomy_max_tokens_gets_the_whole_answer_finished_with_stop() {
        ProviderResponse response = complete(1000);

        assertThat(content(response)).isEqualTo(MockProvider.ANSWER);
        assertThat(finishReason(response)).isEqualTo("stop");
        assertThat(response.usage().outputTokens()).isEqualTo(tokenizer.count(MODEL, MockProvider.ANSWER));
    }

    @Test
    void a_small_max_tokens_cuts_the_answer_and_finishes_with_length() {
        ProviderResponse response = complete(5);

        assertThat(response.usage().outputTokens()).isBetween(1L, 5L);
        assertThat(MockProvider.ANSWER).startsWith(content(response));
        assertThat(content(response)).isNotEqualTo(MockProvider.ANSWER);
        assertThat(finishReason(response)).isEqualTo("length");
    }

    @Test
    void completion_tokens_never_exceed_max_tokens() {
        int full = tokenizer.count(MODEL, MockProvider.ANSWER);
        for (int maxTokens = 0; maxTokens <= full; maxTokens++) {
            ProviderResponse response = complete(maxTokens);

            assertThat(response.usage().outputTokens()).as("max_tokens %d", maxTokens).isLessThanOrEqualTo(maxTokens);
            assertThat(response.usage().outputTokens()).isEqualTo(tokenizer.count(MODEL, content(response)));
        }
    }

    @Test
    void usage_reports_the_prompt_estimate_and_the_completion() {
        ProviderResponse response = complete(1000);

        assertThat(response.usage().inputTokens()).isEqualTo(12);
        assertThat(response.body().path("usage").path("total_tokens").asLong())
                .isEqualTo(12 + response.usage().outputTokens());
    }

    @Test
    void the_streamed_text_equals_the_complete_answer() {
        for (int maxTokens : new int[] {5, 1000}) {
            List<StreamChunk> chunks = provider.stream(request(maxTokens)).collectList().block();

            String streamed = chunks.stream().map(StreamChunk::text).collect(Collectors.joining());
            assertThat(streamed).as("max_tokens %d", maxTokens).isEqualTo(content(complete(maxTokens)));
        }
    }

    @Test
    void only_the_last_chunk_of_the_stream_carries_usage() {
        List<StreamChunk> chunks = provider.stream(request(1000)).collectList().block();

        StreamChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.hasUsage()).isTrue();
        assertThat(last.usage().outputTokens()).isEqualTo(complete(1000).usage().outputTokens());
        assertThat(last.chunk().path("usage").path("completion_tokens").asLong()).isEqualTo(last.usage().outputTokens());
        assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(StreamChunk::hasUsage);
    }

    @Test
    void a_cut_stream_finishes_with_length() {
        List<StreamChunk> chunks = provider.stream(request(5)).collectList().block();

        List<String> reasons = chunks.stream()
                .flatMap(c -> c.chunk().path("choices").valueStream())
                .map(choice -> choice.path("finish_reason"))
                .filter(reason -> !reason.isNull())
                .map(reason -> reason.asString())
                .toList();
        assertThat(reasons).containsExactly("length");
    }
}

package dev.tally.e2e;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Org;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Streaming through the SDK with include_usage: the text in chunks, then one usage chunk carrying the charge. */
@Order(3)
@ExtendWith(E2EStack.class)
class StreamingIT {

    @Test
    void the_sdk_streams_the_text_and_a_usage_chunk_whose_charge_is_in_the_ledger() {
        Org org = Org.create("Streaming");
        org.purchase(1_000, "stream");
        Org.Agent agent = org.agent("streamer");
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());

        List<String> parts = new ArrayList<>();
        List<ChatCompletionChunk> withUsage = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = gateway.client(1, agent.key()).chat().completions()
                .createStreaming(ChatCompletionCreateParams.builder().model("mock-model")
                        .addUserMessage("Stream please").maxCompletionTokens(64)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(parts::add));
                chunk.usage().ifPresent(usage -> withUsage.add(chunk));
            });
        }

        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(String.join("", parts)).startsWith("This is a mock response from Tally.");
        assertThat(withUsage).hasSize(1);
        ChatCompletionChunk last = withUsage.get(0);
        assertThat(last.usage().orElseThrow().completionTokens()).isPositive();
        Map<String, Object> platform = Gateway.xPlatform(last._additionalProperties());
        long charged = ((Number) platform.get("credits_charged")).longValue();
        assertThat(charged).isPositive();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(E2EStack.ledger().charges(org.id()))
                    .containsExactly(Map.entry((String) platform.get("request_id"), charged));
            assertThat(org.balance()).isEqualTo(1_000 - charged);
        });
    }
}

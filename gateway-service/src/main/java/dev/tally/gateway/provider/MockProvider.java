package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Agent Control's {@code mock} provider: no network, the same answer every time, real token counts. For trying Tally out
 * and for tests that are about governance rather than providers.
 */
public class MockProvider implements ChatProvider {

    static final String ANSWER = "This is a mock response from Tally. Governance checked your key, policies and "
            + "budgets, reserved the maximum cost, and will charge exactly what this answer used.";

    private final JsonMapper json;
    private final Tokenizer tokenizer;

    public MockProvider(JsonMapper json, Tokenizer tokenizer) {
        this.json = json;
        this.tokenizer = tokenizer;
    }

    @Override
    public Mono<ProviderResponse> complete(ProviderRequest request) {
        List<String> words = answerWords(request);
        String text = String.join(" ", words);
        long completion = tokenizer.count(request.model(), text);
        ObjectNode body = json.createObjectNode();
        body.put("id", "chatcmpl-" + UUID.randomUUID());
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", request.model());
        ArrayNode choices = body.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", words.size() < ANSWER.split(" ").length ? "length" : "stop");
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", request.promptTokensEstimate());
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", request.promptTokensEstimate() + completion);
        return Mono.just(new ProviderResponse(body, BilledUsage.of(request.promptTokensEstimate(), completion)));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        List<String> words = answerWords(request);
        List<StreamChunk> chunks = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String text = (i == 0 ? "" : " ") + words.get(i);
            ObjectNode chunk = chunk(id, created, request.model());
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            if (i == 0) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
            choice.putNull("finish_reason");
            chunks.add(new StreamChunk(chunk, text, null));
        }
        ObjectNode last = chunk(id, created, request.model());
        ObjectNode choice = last.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", words.size() < ANSWER.split(" ").length ? "length" : "stop");
        chunks.add(new StreamChunk(last, "", null));
        long completion = tokenizer.count(request.model(), String.join(" ", words));
        ObjectNode usageChunk = chunk(id, created, request.model());
        usageChunk.putArray("choices");
        ObjectNode usage = usageChunk.putObject("usage");
        usage.put("prompt_tokens", request.promptTokensEstimate());
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", request.promptTokensEstimate() + completion);
        chunks.add(new StreamChunk(usageChunk, "", BilledUsage.of(request.promptTokensEstimate(), completion)));
        return Flux.fromIterable(chunks);
    }

    private ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    /** The answer cut to max_tokens, word by word, so the charge can never exceed the reservation. */
    private List<String> answerWords(ProviderRequest request) {
        List<String> words = new ArrayList<>();
        for (String word : ANSWER.split(" ")) {
            words.add(word);
            if (tokenizer.count(request.model(), String.join(" ", words)) > request.maxTokens()) {
                words.remove(words.size() - 1);
                break;
            }
        }
        return words;
    }
}

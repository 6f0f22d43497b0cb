package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.translate.ChatFromMessages;
import dev.tally.gateway.translate.ChatStreamFromMessages;
import dev.tally.gateway.translate.ChatToMessages;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Anthropic's Messages API: natively for the gateway's own Messages route ({@link UpstreamApi#MESSAGES}: the body and
 * the answer pass as they are), and behind OpenAI's chat format for chat completions, translated by
 * {@link ChatToMessages} (tools, tool results, images and response formats included), {@link ChatFromMessages} and,
 * for streams, {@link ChatStreamFromMessages}, with a final usage chunk.
 */
public class AnthropicProvider implements ChatProvider {

    static final String VERSION = "2023-06-01";

    private final String name;
    private final WebClient http;
    private final JsonMapper json;
    private final Duration timeout;
    private final UpstreamErrors errors;
    private final Tokenizer tokenizer;

    public AnthropicProvider(String name, WebClient http, JsonMapper json, Duration timeout, Tokenizer tokenizer) {
        this.name = name;
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.tokenizer = tokenizer;
        this.errors = new UpstreamErrors(name, json);
    }

    @Override
    public Mono<ProviderResponse> complete(ProviderRequest request) {
        if (request.api() == UpstreamApi.MESSAGES) {
            return nativeComplete(request);
        }
        // Deferred: a body that cannot be translated fails this call, which releases its hold.
        return Mono.defer(() -> post(request, false)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToMono(ObjectNode.class)
                .timeout(timeout)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .map(answer -> toOpenAi(request, answer)));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        if (request.api() == UpstreamApi.MESSAGES) {
            return nativeStream(request);
        }
        return Flux.defer(() -> {
            ChatStreamFromMessages chat = new ChatStreamFromMessages(request.model(),
                    ChatToMessages.responseFormatTool(request.body()), System.currentTimeMillis() / 1000);
            AtomicReference<JsonNode> startUsage = new AtomicReference<>(json.createObjectNode());
            return post(request, true)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .retrieve()
                    .onStatus(status -> status.isError(), errors.fromStatus())
                    .bodyToFlux(String.class)
                    .onErrorMap(e -> errors.fromTransport(e, timeout))
                    .filter(data -> !data.isBlank())
                    .concatMap(data -> {
                        JsonNode event = json.readTree(data);
                        String type = event.path("type").asString("");
                        if ("error".equals(type)) {
                            return Flux.error(new ProviderFailure(502, name + " stream failed: "
                                    + event.path("error").path("message").asString("unknown error")));
                        }
                        if ("message_start".equals(type)) {
                            startUsage.set(event.path("message").path("usage"));
                        }
                        // Thinking and tool input are output too: counted if the stream ends without usage.
                        String generated = generated(event);
                        List<StreamChunk> chunks = new ArrayList<>();
                        for (ObjectNode chunk : chat.chunks(event)) {
                            chunks.add(new StreamChunk(chunk, generated, null));
                            generated = "";
                        }
                        if ("message_delta".equals(type)) {
                            BilledUsage usage = anthropicUsage(startUsage.get(), event.path("usage"));
                            ObjectNode usageChunk = chat.usageChunk();
                            usageChunk.set("usage", openAiUsage(usage));
                            chunks.add(new StreamChunk(usageChunk, "", usage));
                        }
                        return Flux.fromIterable(chunks);
                    });
        });
    }

    /** A Messages API body as the client sent it; the answer as Anthropic sent it, with what it billed. */
    private Mono<ProviderResponse> nativeComplete(ProviderRequest request) {
        ObjectNode body = request.body().deepCopy();
        if (body.has("stream")) {
            body.put("stream", false);
        }
        return send(request, body, request.headers())
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToMono(ObjectNode.class)
                .timeout(timeout)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .map(answer -> new ProviderResponse(answer, nativeUsage(request, answer)));
    }

    /**
     * Anthropic's events relayed as they come (the event name is each event's {@code type}); the usage, read from
     * message_start (input side) and the last message_delta (output), rides on message_stop, the stream's last
     * event, so that the charge is made before it goes. An error event ends the stream as a provider failure.
     */
    private Flux<StreamChunk> nativeStream(ProviderRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.put("stream", true);
        AtomicReference<JsonNode> startUsage = new AtomicReference<>(json.createObjectNode());
        AtomicReference<JsonNode> deltaUsage = new AtomicReference<>(json.createObjectNode());
        return send(request, body, request.headers())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToFlux(String.class)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .filter(data -> !data.isBlank())
                .concatMap(data -> {
                    ObjectNode event = (ObjectNode) json.readTree(data);
                    switch (event.path("type").asString("")) {
                        case "message_start" -> startUsage.set(event.path("message").path("usage"));
                        case "message_delta" -> deltaUsage.set(event.path("usage"));
                        case "message_stop" -> {
                            return Flux.just(new StreamChunk(event, "",
                                    anthropicUsage(startUsage.get(), deltaUsage.get())));
                        }
                        case "error" -> {
                            return Flux.error(new ProviderFailure(502, name + " stream failed: "
                                    + event.path("error").path("message").asString("unknown error")));
                        }
                        default -> {
                        }
                    }
                    return Flux.just(new StreamChunk(event, generated(event), null));
                });
    }

    /** What an event adds to the answer: text, thinking, tool input; counted if the stream ends without usage. */
    private static String generated(JsonNode event) {
        JsonNode delta = event.path("delta");
        JsonNode block = event.path("content_block");
        return delta.path("text").asString("") + delta.path("thinking").asString("")
                + delta.path("partial_json").asString("") + block.path("name").asString("");
    }

    /** The usage Anthropic reports; without one, the prompt's estimate and the tokens of every block generated. */
    private BilledUsage nativeUsage(ProviderRequest request, JsonNode answer) {
        JsonNode reported = answer.path("usage");
        if (reported.path("output_tokens").isNumber()) {
            return anthropicUsage(json.createObjectNode(), reported);
        }
        return BilledUsage.counted(request.promptTokensEstimate(),
                tokenizer.count(request.model(), generatedText(answer)));
    }

    private WebClient.RequestHeadersSpec<?> post(ProviderRequest request, boolean stream) {
        ObjectNode body = toAnthropic(request);
        body.put("stream", stream);
        // The translation is written for VERSION, whatever a chat client sent.
        return send(request, body, java.util.Map.of());
    }

    /**
     * A native request's {@code anthropic-version} (else VERSION) and {@code anthropic-beta} are the client's: a beta
     * feature in the body needs its header.
     */
    private WebClient.RequestHeadersSpec<?> send(ProviderRequest request, ObjectNode body,
            java.util.Map<String, String> clientHeaders) {
        WebClient.RequestBodySpec spec = http.post().uri("/v1/messages").contentType(MediaType.APPLICATION_JSON)
                .header("anthropic-version", clientHeaders.getOrDefault("anthropic-version", VERSION));
        String beta = clientHeaders.get("anthropic-beta");
        if (beta != null) {
            spec = spec.header("anthropic-beta", beta);
        }
        if (request.apiKey() != null && !request.apiKey().isBlank()) {
            spec = spec.header("x-api-key", request.apiKey());
        }
        return spec.bodyValue(body);
    }

    ObjectNode toAnthropic(ProviderRequest request) {
        return ChatToMessages.request(request.body(), request.model(), request.maxTokens());
    }

    ProviderResponse toOpenAi(ProviderRequest request, ObjectNode answer) {
        JsonNode reported = answer.path("usage");
        BilledUsage usage = reported.path("output_tokens").isNumber()
                ? anthropicUsage(json.createObjectNode(), reported)
                : BilledUsage.counted(request.promptTokensEstimate(),
                        tokenizer.count(request.model(), generatedText(answer)));
        ObjectNode body = ChatFromMessages.answer(answer, ChatToMessages.responseFormatTool(request.body()),
                System.currentTimeMillis() / 1000);
        body.set("usage", openAiUsage(usage));
        return new ProviderResponse(body, usage);
    }

    /** Every block generated: text, thinking, tool calls' names and input. */
    private static String generatedText(JsonNode answer) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : answer.path("content")) {
            text.append(block.path("text").asString("")).append(block.path("thinking").asString(""));
            if (block.has("input")) {
                text.append(block.path("name").asString("")).append(block.path("input"));
            }
        }
        return text.toString();
    }

    /**
     * Anthropic's usage: message_start has the input side (input_tokens without the cache, cache reads and writes
     * apart) and a first output count; message_delta has the final output_tokens and, in newer API versions, the
     * input side again. Each count is the latest reported.
     */
    static BilledUsage anthropicUsage(JsonNode start, JsonNode delta) {
        return BilledUsage.anthropic(latest(start, delta, "input_tokens"),
                latest(start, delta, "cache_read_input_tokens"), latest(start, delta, "cache_creation_input_tokens"),
                latest(start, delta, "output_tokens"));
    }

    private static long latest(JsonNode start, JsonNode delta, String field) {
        return delta.path(field).isNumber() ? delta.path(field).asLong() : start.path(field).asLong(0);
    }

    /** OpenAI's shape: prompt_tokens counts every input token, cache reads also as cached_tokens. */
    private ObjectNode openAiUsage(BilledUsage usage) {
        ObjectNode openAi = json.createObjectNode();
        openAi.put("prompt_tokens", usage.totalInputTokens());
        openAi.put("completion_tokens", usage.totalOutputTokens());
        openAi.put("total_tokens", usage.totalInputTokens() + usage.totalOutputTokens());
        openAi.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        return openAi;
    }

    static String finishReason(String stopReason) {
        return ChatFromMessages.finishReason(stopReason, true);
    }
}

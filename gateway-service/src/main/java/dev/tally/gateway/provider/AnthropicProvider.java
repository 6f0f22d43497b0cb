package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Anthropic's Messages API: natively for the gateway's own Messages route ({@link UpstreamApi#MESSAGES}: the body and
 * the answer pass as they are), and behind OpenAI's chat format for chat completions: system messages become
 * {@code system}, the answer's text blocks become the message content, {@code stop_reason} becomes
 * {@code finish_reason}, and the stream's message_start / content_block_delta / message_delta events become OpenAI
 * chunks with a final usage chunk.
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
        return post(request, false)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToMono(ObjectNode.class)
                .timeout(timeout)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .map(answer -> toOpenAi(request, answer));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        if (request.api() == UpstreamApi.MESSAGES) {
            return nativeStream(request);
        }
        AtomicReference<String> id = new AtomicReference<>("chatcmpl-anthropic");
        AtomicReference<JsonNode> startUsage = new AtomicReference<>(json.createObjectNode());
        long created = System.currentTimeMillis() / 1000;
        return post(request, true)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToFlux(String.class)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .filter(data -> !data.isBlank())
                .concatMap(data -> {
                    JsonNode event = json.readTree(data);
                    switch (event.path("type").asString("")) {
                        case "message_start" -> {
                            JsonNode message = event.path("message");
                            id.set(message.path("id").asString(id.get()));
                            startUsage.set(message.path("usage"));
                            ObjectNode chunk = chunk(id.get(), created, request.model());
                            ObjectNode choice = chunk.putArray("choices").addObject();
                            choice.put("index", 0);
                            choice.putObject("delta").put("role", "assistant").put("content", "");
                            choice.putNull("finish_reason");
                            return Flux.just(new StreamChunk(chunk, "", null));
                        }
                        case "content_block_delta" -> {
                            JsonNode delta = event.path("delta");
                            String text = delta.path("text").asString("");
                            ObjectNode chunk = chunk(id.get(), created, request.model());
                            ObjectNode choice = chunk.putArray("choices").addObject();
                            choice.put("index", 0);
                            choice.putObject("delta").put("content", text);
                            choice.putNull("finish_reason");
                            // Thinking and tool input are output too: counted if the stream ends without usage.
                            return Flux.just(new StreamChunk(chunk, text + delta.path("thinking").asString("")
                                    + delta.path("partial_json").asString(""), null));
                        }
                        case "message_delta" -> {
                            BilledUsage usage = anthropicUsage(startUsage.get(), event.path("usage"));
                            ObjectNode last = chunk(id.get(), created, request.model());
                            ObjectNode choice = last.putArray("choices").addObject();
                            choice.put("index", 0);
                            choice.putObject("delta");
                            choice.put("finish_reason", finishReason(event.path("delta").path("stop_reason")
                                    .asString("end_turn")));
                            ObjectNode usageChunk = chunk(id.get(), created, request.model());
                            usageChunk.putArray("choices");
                            usageChunk.set("usage", openAiUsage(usage));
                            return Flux.just(new StreamChunk(last, "", null), new StreamChunk(usageChunk, "", usage));
                        }
                        case "error" -> {
                            return Flux.error(new ProviderFailure(502, name + " stream failed: "
                                    + event.path("error").path("message").asString("unknown error")));
                        }
                        default -> {
                            return Flux.empty();
                        }
                    }
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
        StringBuilder text = new StringBuilder();
        for (JsonNode block : answer.path("content")) {
            text.append(block.path("text").asString("")).append(block.path("thinking").asString(""));
            if (block.has("input")) {
                text.append(block.path("name").asString("")).append(block.path("input"));
            }
        }
        return BilledUsage.counted(request.promptTokensEstimate(), tokenizer.count(request.model(), text.toString()));
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
        JsonNode openAi = request.body();
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        body.put("max_tokens", request.maxTokens());
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        for (JsonNode message : openAi.path("messages")) {
            String role = message.path("role").asString("user");
            String text = text(message.path("content"));
            if ("system".equals(role) || "developer".equals(role)) {
                system.append(system.isEmpty() ? "" : "\n\n").append(text);
            } else {
                messages.addObject().put("role", "assistant".equals(role) ? "assistant" : "user").put("content", text);
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        copy(openAi, body, "temperature", "temperature");
        copy(openAi, body, "top_p", "top_p");
        JsonNode stop = openAi.path("stop");
        if (stop.isString()) {
            body.putArray("stop_sequences").add(stop.asString());
        } else if (stop.isArray()) {
            body.set("stop_sequences", stop);
        }
        return body;
    }

    ProviderResponse toOpenAi(ProviderRequest request, ObjectNode answer) {
        StringBuilder text = new StringBuilder();
        StringBuilder generated = new StringBuilder();
        for (JsonNode block : answer.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "thinking" -> generated.append(block.path("thinking").asString(""));
                case "tool_use" -> generated.append(block.path("name").asString("")).append(block.path("input"));
                default -> {
                }
            }
        }
        JsonNode reported = answer.path("usage");
        BilledUsage usage = reported.path("output_tokens").isNumber()
                ? anthropicUsage(json.createObjectNode(), reported)
                : BilledUsage.counted(request.promptTokensEstimate(),
                        tokenizer.count(request.model(), text.toString() + generated));
        ObjectNode body = json.createObjectNode();
        body.put("id", answer.path("id").asString("chatcmpl-anthropic"));
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", answer.path("model").asString());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.put("finish_reason", finishReason(answer.path("stop_reason").asString("end_turn")));
        body.set("usage", openAiUsage(usage));
        return new ProviderResponse(body, usage);
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

    private ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            default -> "stop";
        };
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private static void copy(JsonNode from, ObjectNode to, String fromField, String toField) {
        if (from.hasNonNull(fromField)) {
            to.set(toField, from.get(fromField));
        }
    }
}

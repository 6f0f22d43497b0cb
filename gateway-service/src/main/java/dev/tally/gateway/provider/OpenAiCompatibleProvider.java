package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.translate.MessagesStreamFromChat;
import dev.tally.gateway.translate.MessagesToChat;
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

/**
 * OpenAI and every server that speaks its API (vLLM, Ollama, TGI, LiteLLM…): chat completions, legacy completions,
 * embeddings and the Responses API, each at its own path, and Anthropic's Messages API translated to chat completions
 * ({@link MessagesToChat}, {@link MessagesStreamFromChat}). The request goes through almost unchanged; a chat or
 * completions stream always asks for the usage chunk, so the gateway can charge exact counts (a Responses stream
 * always ends with its usage, in {@code response.completed}).
 */
public class OpenAiCompatibleProvider implements ChatProvider {

    private final String name;
    private final WebClient http;
    private final JsonMapper json;
    private final Duration timeout;
    private final UpstreamErrors errors;
    private final Tokenizer tokenizer;
    private final UpstreamAddress address;

    public OpenAiCompatibleProvider(String name, WebClient http, JsonMapper json, Duration timeout,
            Tokenizer tokenizer) {
        this(name, http, json, timeout, tokenizer, UpstreamAddress.openAi());
    }

    /** @param address where each API is served and how the key is sent (OpenAI's, Azure's…) */
    public OpenAiCompatibleProvider(String name, WebClient http, JsonMapper json, Duration timeout,
            Tokenizer tokenizer, UpstreamAddress address) {
        this.address = address;
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
            return Mono.defer(() -> completeMessages(request));
        }
        ObjectNode body = request.body().deepCopy();
        if (request.api() == UpstreamApi.RESPONSES) {
            // As the client sent it: a Responses body without "stream" is not streamed (stream_options needs one).
            body.remove("stream_options");
        } else if (request.api().streams()) {
            body.put("stream", false);
            body.remove("stream_options");
        }
        return post(request, body)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToMono(ObjectNode.class)
                .timeout(timeout)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .map(answer -> new ProviderResponse(answer, usage(request, answer)));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        if (request.api() == UpstreamApi.MESSAGES) {
            return Flux.defer(() -> streamMessages(request));
        }
        ObjectNode body = request.body().deepCopy();
        body.put("stream", true);
        if (request.api() != UpstreamApi.RESPONSES) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return post(request, body)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToFlux(String.class)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .filter(data -> !data.isBlank() && !"[DONE]".equals(data.strip()))
                .map(data -> chunk(request, data));
    }

    /** A Messages request asked of a chat model: translated there and back ({@link MessagesToChat}). */
    private Mono<ProviderResponse> completeMessages(ProviderRequest request) {
        ObjectNode body = MessagesToChat.request(request.body(), request.model(), request.maxTokens());
        body.put("stream", false);
        return post(request, UpstreamApi.CHAT_COMPLETIONS, body)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToMono(ObjectNode.class)
                .timeout(timeout)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .map(answer -> {
                    BilledUsage usage = chatUsage(request, answer);
                    return new ProviderResponse(MessagesToChat.answer(answer, request.model(), usage), usage);
                });
    }

    /**
     * A streamed Messages request asked of a chat model: the chat chunks as Messages events, the usage chunk (always
     * asked for) ending the stream with message_delta and message_stop, which carries the usage. A server that sends
     * no usage chunk but finished its answer is charged what the gateway counts; one that broke off ends without
     * message_stop, which the gateway answers as a failed stream.
     */
    private Flux<StreamChunk> streamMessages(ProviderRequest request) {
        ObjectNode body = MessagesToChat.request(request.body(), request.model(), request.maxTokens());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        MessagesStreamFromChat messages = new MessagesStreamFromChat(request.model());
        StringBuilder generated = new StringBuilder();
        return post(request, UpstreamApi.CHAT_COMPLETIONS, body)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .onStatus(status -> status.isError(), errors.fromStatus())
                .bodyToFlux(String.class)
                .onErrorMap(e -> errors.fromTransport(e, timeout))
                .filter(data -> !data.isBlank() && !"[DONE]".equals(data.strip()))
                .concatMap(data -> {
                    if (messages.ended()) {
                        return Flux.empty();
                    }
                    JsonNode chunk = json.readTree(data);
                    String text = OpenAiUsage.deltaText(UpstreamApi.CHAT_COMPLETIONS, chunk);
                    generated.append(text);
                    List<StreamChunk> events = new ArrayList<>();
                    for (ObjectNode event : messages.events(chunk)) {
                        events.add(new StreamChunk(event, text, null));
                        text = "";
                    }
                    BilledUsage usage = OpenAiUsage.read(UpstreamApi.CHAT_COMPLETIONS, chunk.path("usage"),
                            request.promptTokensEstimate());
                    if (usage != null) {
                        events.addAll(ending(messages, usage, text));
                    }
                    return Flux.fromIterable(events);
                })
                .concatWith(Flux.defer(() -> messages.ended() || !messages.finished() ? Flux.empty()
                        : Flux.fromIterable(ending(messages, BilledUsage.counted(request.promptTokensEstimate(),
                                tokenizer.count(request.model(), generated.toString())), ""))));
    }

    /** The closing events; the last, message_stop, carries the usage the gateway charges. */
    private static List<StreamChunk> ending(MessagesStreamFromChat messages, BilledUsage usage, String text) {
        List<ObjectNode> end = messages.end(usage);
        List<StreamChunk> events = new ArrayList<>();
        for (int i = 0; i < end.size(); i++) {
            boolean last = i == end.size() - 1;
            events.add(new StreamChunk(end.get(i), i == 0 ? text : "", last ? usage : null));
        }
        return events;
    }

    private BilledUsage chatUsage(ProviderRequest request, JsonNode answer) {
        BilledUsage billed = OpenAiUsage.read(UpstreamApi.CHAT_COMPLETIONS, answer.path("usage"),
                request.promptTokensEstimate());
        return billed != null ? billed : BilledUsage.counted(request.promptTokensEstimate(),
                tokenizer.count(request.model(), OpenAiUsage.generatedText(UpstreamApi.CHAT_COMPLETIONS, answer)));
    }

    private WebClient.RequestHeadersSpec<?> post(ProviderRequest request, ObjectNode body) {
        return post(request, request.api(), body);
    }

    private WebClient.RequestHeadersSpec<?> post(ProviderRequest request, UpstreamApi api, ObjectNode body) {
        WebClient.RequestBodySpec spec = http.post().uri(address.uri(request, api))
                .contentType(MediaType.APPLICATION_JSON);
        if (request.apiKey() != null && !request.apiKey().isBlank()) {
            spec = address.authenticate(spec, request.apiKey());
        }
        return spec.bodyValue(body);
    }

    /**
     * The answer's usage; without one (some compatible servers omit it), what the gateway saw: the prompt estimate
     * and the tokens of everything generated, so an answer is never free for want of a usage block.
     */
    private BilledUsage usage(ProviderRequest request, JsonNode answer) {
        if (request.api() == UpstreamApi.RESPONSES) {
            BilledUsage billed = ResponsesUsage.read(answer.path("usage"), request.promptTokensEstimate());
            return billed != null ? billed : BilledUsage.counted(request.promptTokensEstimate(),
                    tokenizer.count(request.model(), ResponsesUsage.generatedText(answer)));
        }
        BilledUsage billed = OpenAiUsage.read(request.api(), answer.path("usage"), request.promptTokensEstimate());
        return billed != null ? billed : BilledUsage.counted(request.promptTokensEstimate(),
                tokenizer.count(request.model(), OpenAiUsage.generatedText(request.api(), answer)));
    }

    private StreamChunk chunk(ProviderRequest request, String data) {
        ObjectNode chunk = (ObjectNode) json.readTree(data);
        if (request.api() == UpstreamApi.RESPONSES) {
            return new StreamChunk(chunk, ResponsesUsage.deltaText(chunk),
                    ResponsesUsage.ofEvent(chunk, request.promptTokensEstimate()));
        }
        return new StreamChunk(chunk, OpenAiUsage.deltaText(request.api(), chunk),
                OpenAiUsage.read(request.api(), chunk.path("usage"), request.promptTokensEstimate()));
    }
}

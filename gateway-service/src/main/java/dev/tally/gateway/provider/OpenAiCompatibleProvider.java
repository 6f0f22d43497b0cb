package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * OpenAI and every server that speaks its API (vLLM, Ollama, TGI, LiteLLM…): chat completions, legacy completions,
 * embeddings and the Responses API, each at its own path. The request goes through almost unchanged; a chat or
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

    private WebClient.RequestHeadersSpec<?> post(ProviderRequest request, ObjectNode body) {
        WebClient.RequestBodySpec spec = http.post().uri(address.uri(request))
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

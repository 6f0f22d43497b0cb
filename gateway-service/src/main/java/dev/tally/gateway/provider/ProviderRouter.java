package dev.tally.gateway.provider;

import dev.tally.gateway.GatewaySettings;
import dev.tally.gateway.GatewaySettings.ProviderSettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.state.GovernanceView;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Picks the provider a model belongs to (the price table names it), uses the organisation's BYOK key for it when
 * there is one, else the platform key, and walks the provider's fallback chain when it fails or its circuit is open.
 * Only OpenAI-compatible providers serve more than chat completions; a fallback that does not serve a request's API
 * is skipped.
 */
@Component
public class ProviderRouter {

    private static final Logger log = LoggerFactory.getLogger(ProviderRouter.class);

    private final Map<String, ChatProvider> providers = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, ProviderSettings> settings;
    private final GovernanceView view;
    private final CredentialDecryptor credentials;
    private final BedrockClients bedrock = new BedrockClients();

    /** Google's OpenAI-compatible endpoint for Gemini (docs/providers.md says why not the native API). */
    static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    public ProviderRouter(GatewaySettings gateway, GovernanceView view, JsonMapper json, Tokenizer tokenizer,
            @Value("${tally.gateway.credential-key-current:}") String credentialKeyCurrent) {
        this.settings = gateway.providers() == null ? Map.of() : gateway.providers();
        this.view = view;
        this.credentials = new CredentialDecryptor(gateway.credentialKey(), credentialKeyCurrent);
        ConnectionProvider pool = ConnectionProvider.builder("providers").maxConnections(500)
                .pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(30)).build();
        for (var entry : settings.entrySet()) {
            String name = entry.getKey();
            ProviderSettings s = entry.getValue();
            Duration timeout = s.timeout() == null ? Duration.ofSeconds(60) : s.timeout();
            ChatProvider provider = switch (s.type()) {
                case "mock" -> new MockProvider(json, tokenizer);
                case "openai" -> new OpenAiCompatibleProvider(name, webClient(pool, s.baseUrl()), json, timeout,
                        tokenizer);
                case "anthropic" -> new AnthropicProvider(name, webClient(pool, s.baseUrl()), json, timeout,
                        tokenizer);
                case "azure" -> new OpenAiCompatibleProvider(name, webClient(pool, required(name, s.baseUrl())),
                        json, timeout, tokenizer, new AzureAddress(s.apiVersion() == null
                                ? ProviderSettings.AZURE_API_VERSION : s.apiVersion(), s.deployments()));
                case "gemini" -> new OpenAiCompatibleProvider(name, webClient(pool, s.baseUrl() == null
                        ? GEMINI_BASE_URL : s.baseUrl()), json, timeout, tokenizer);
                case "bedrock" -> bedrock.provider(name, s, json, timeout, tokenizer);
                default -> throw new IllegalStateException("provider " + name + " has unknown type " + s.type()
                        + " (mock, openai, anthropic, azure, gemini or bedrock)");
            };
            types.put(name, s.type());
            providers.put(name, "mock".equals(s.type()) ? provider
                    : new ResilientProvider(name, provider, s.maxRetries(), s.maxConcurrent() <= 0 ? 256
                            : s.maxConcurrent()));
        }
    }

    public boolean knows(String provider) {
        return providers.containsKey(provider);
    }

    /**
     * Whether the provider speaks this API: every provider answers chat completions; OpenAI-compatible ones OpenAI's
     * other APIs as far as they serve them (docs/providers.md); Anthropic's the Messages API natively, and the openai
     * type translated to chat completions.
     */
    public boolean serves(String provider, UpstreamApi api) {
        if (!providers.containsKey(provider)) {
            return false;
        }
        String type = types.get(provider);
        return switch (api) {
            case CHAT_COMPLETIONS -> true;
            case MESSAGES -> "anthropic".equals(type) || "openai".equals(type);
            // Azure's deployments serve both; Gemini's compatible endpoint embeddings but no legacy completions.
            case COMPLETIONS -> "openai".equals(type) || "azure".equals(type);
            case EMBEDDINGS -> "openai".equals(type) || "azure".equals(type) || "gemini".equals(type);
            case RESPONSES -> "openai".equals(type);
        };
    }

    /** Whether the provider speaks Anthropic's Messages API itself (else requests in that format are translated). */
    public boolean speaksMessages(String provider) {
        return "anthropic".equals(types.get(provider));
    }

    /** @param request the request for a given provider (the API key differs per provider) */
    public Mono<Routed<ProviderResponse>> complete(String orgId, String provider, UpstreamApi api,
            Function<String, ProviderRequest> request) {
        return attempt(orgId, chain(provider, api), 0, request);
    }

    public Flux<Routed<StreamChunk>> stream(String orgId, String provider, UpstreamApi api,
            Function<String, ProviderRequest> request) {
        return attemptStream(orgId, chain(provider, api), 0, request);
    }

    private Mono<Routed<ProviderResponse>> attempt(String orgId, List<String> chain, int index,
            Function<String, ProviderRequest> request) {
        String name = chain.get(index);
        return providers.get(name).complete(withKey(orgId, name, request.apply(name)))
                .map(response -> new Routed<>(name, response))
                .onErrorResume(e -> {
                    if (index + 1 < chain.size() && worthFallingBack(e)) {
                        log.warn("provider {} failed ({}); falling back to {}", name, e.getMessage(), chain.get(index + 1));
                        return attempt(orgId, chain, index + 1, request);
                    }
                    return Mono.error(translate(name, e));
                });
    }

    private Flux<Routed<StreamChunk>> attemptStream(String orgId, List<String> chain, int index,
            Function<String, ProviderRequest> request) {
        String name = chain.get(index);
        java.util.concurrent.atomic.AtomicBoolean emitted = new java.util.concurrent.atomic.AtomicBoolean();
        return providers.get(name).stream(withKey(orgId, name, request.apply(name)))
                .doOnNext(chunk -> emitted.set(true))
                .map(chunk -> new Routed<>(name, chunk))
                .onErrorResume(e -> {
                    // Only before the first chunk: the fallback's answer would otherwise be spliced into this one.
                    if (index + 1 < chain.size() && worthFallingBack(e) && !emitted.get()) {
                        return attemptStream(orgId, chain, index + 1, request);
                    }
                    return Flux.error(translate(name, e));
                });
    }

    private ProviderRequest withKey(String orgId, String provider, ProviderRequest request) {
        String key = null;
        if (credentials.configured()) {
            key = view.credential(orgId, provider).map(credentials::open).orElse(null);
        }
        if (key == null) {
            ProviderSettings s = settings.get(provider);
            key = s == null ? null : s.apiKey();
        }
        return request.withApiKey(key);
    }

    private List<String> chain(String provider, UpstreamApi api) {
        if (!providers.containsKey(provider)) {
            throw GatewayException.notFound("provider_not_configured", "The model's provider '" + provider
                    + "' is not configured on this gateway.", "model");
        }
        if (!serves(provider, api)) {
            throw GatewayException.badRequest("model_not_supported", "The model's provider '" + provider
                    + "' does not serve " + api.path() + ".", "model");
        }
        List<String> chain = new ArrayList<>();
        chain.add(provider);
        ProviderSettings s = settings.get(provider);
        if (s.fallbacks() != null) {
            s.fallbacks().stream().filter(p -> serves(p, api)).filter(p -> !chain.contains(p)).forEach(chain::add);
        }
        return chain;
    }

    private static boolean worthFallingBack(Throwable e) {
        return e instanceof CallNotPermittedException || e instanceof BulkheadFullException
                || (e instanceof ProviderFailure failure && failure.retryable());
    }

    private static GatewayException translate(String provider, Throwable e) {
        if (e instanceof GatewayException g) {
            return g;
        }
        if (e instanceof ProviderFailure failure && !failure.retryable()) {
            return GatewayException.badRequest("provider_rejected_request", failure.getMessage(), null);
        }
        if (e instanceof CallNotPermittedException) {
            return GatewayException.providerError("Provider " + provider + " is failing; its circuit is open.");
        }
        if (e instanceof BulkheadFullException) {
            return GatewayException.providerError("Provider " + provider + " is at its concurrency limit.");
        }
        return GatewayException.providerError(e.getMessage() == null ? "Provider " + provider + " failed."
                : e.getMessage());
    }

    private static String required(String provider, String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalStateException("provider " + provider + " needs a base-url (its resource's "
                    + "https://{resource}.openai.azure.com)");
        }
        return baseUrl;
    }

    @jakarta.annotation.PreDestroy
    void close() {
        bedrock.close();
    }

    private static WebClient webClient(ConnectionProvider pool, String baseUrl) {
        HttpClient client = HttpClient.create(pool).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        return WebClient.builder().baseUrl(baseUrl)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .clientConnector(new ReactorClientHttpConnector(client)).build();
    }
}

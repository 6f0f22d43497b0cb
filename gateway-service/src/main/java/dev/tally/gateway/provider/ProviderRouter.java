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

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Picks where a model is served: its deployments (several, load-balanced, when the routing settings list them; else
 * the provider its price names), uses the organisation's BYOK key for each provider when there is one, else the
 * platform key, and walks the other deployments and each provider's fallback chain when one fails or its circuit is
 * open. Only OpenAI-compatible providers serve more than chat completions; a deployment that does not serve a
 * request's API is skipped. Falling back to another model (a chain's next step) is the money path's: each step is
 * held and charged at its own price.
 */
@Component
public class ProviderRouter {

    private static final Logger log = LoggerFactory.getLogger(ProviderRouter.class);

    private final Map<String, ChatProvider> providers = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, ProviderSettings> settings;
    private final Map<String, RoutingSettings.ModelRoute> routes = new HashMap<>();
    private final Map<String, List<Deployment>> deployments = new HashMap<>();
    private final Map<String, DeploymentBalancer.Strategy> strategies = new HashMap<>();
    private final Cooldowns cooldowns;
    private final DeploymentBalancer balancer;
    private final GovernanceView view;
    private final CredentialDecryptor credentials;
    private final BedrockClients bedrock = new BedrockClients();

    /** The error code of a prompt longer than the model's context window, as OpenAI names it. */
    public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";

    /** Google's OpenAI-compatible endpoint for Gemini (docs/providers.md says why not the native API). */
    static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    public ProviderRouter(GatewaySettings gateway, RoutingSettings routing, GovernanceView view, JsonMapper json,
            Tokenizer tokenizer, @Value("${tally.gateway.credential-key-current:}") String credentialKeyCurrent) {
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
        this.cooldowns = new Cooldowns(Clock.systemUTC(), routing.cooldown());
        this.balancer = new DeploymentBalancer(cooldowns, () -> ThreadLocalRandom.current().nextLong());
        for (RoutingSettings.ModelRoute route : routing.models()) {
            if (route.model() == null || route.model().isBlank()) {
                throw new IllegalStateException("tally.gateway.routing.models: an entry has no model");
            }
            List<Deployment> list = new ArrayList<>();
            for (RoutingSettings.DeploymentSettings d : route.deployments()) {
                if (d.provider() == null || !providers.containsKey(d.provider())) {
                    throw new IllegalStateException("model " + route.model() + " has a deployment on provider "
                            + d.provider() + ", which is not configured under tally.gateway.providers");
                }
                list.add(new Deployment(d.provider(), d.model() == null || d.model().isBlank() ? route.model()
                        : d.model(), d.weight() == null ? 1 : d.weight()));
            }
            routes.put(route.model(), route);
            deployments.put(route.model(), List.copyOf(list));
            strategies.put(route.model(), DeploymentBalancer.Strategy.of(route.strategy(), route.model()));
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

    /**
     * The models to try after {@code model}, in order, when it fails (tally.gateway.routing's {@code fallbacks});
     * empty for a model without a chain.
     */
    public List<String> fallbackModels(String model) {
        RoutingSettings.ModelRoute route = routes.get(model);
        return route == null ? List.of() : route.fallbacks();
    }

    /** Whether some deployment of the model (priced for {@code provider}) serves the API. */
    public boolean servesModel(String model, String provider, UpstreamApi api) {
        List<Deployment> configured = deployments.get(model);
        if (configured == null || configured.isEmpty()) {
            return serves(provider, api);
        }
        return configured.stream().anyMatch(d -> serves(d.provider(), api));
    }

    /**
     * @param model    the model as the gateway names it (a deployment may know it by another name)
     * @param provider the provider its price names: where it is served when it has no deployments
     * @param request  the request for a given provider (the API key differs per provider)
     */
    public Mono<Routed<ProviderResponse>> complete(String orgId, String model, String provider, UpstreamApi api,
            Function<String, ProviderRequest> request) {
        return attempt(orgId, candidates(model, provider, api), 0, request);
    }

    public Flux<Routed<StreamChunk>> stream(String orgId, String model, String provider, UpstreamApi api,
            Function<String, ProviderRequest> request) {
        return attemptStream(orgId, candidates(model, provider, api), 0, request);
    }

    private Mono<Routed<ProviderResponse>> attempt(String orgId, List<Deployment> chain, int index,
            Function<String, ProviderRequest> request) {
        Deployment deployment = chain.get(index);
        String name = deployment.provider();
        return balancer.tracked(deployment, Mono.defer(() -> providers.get(name)
                        .complete(withKey(orgId, name, forDeployment(request.apply(name), deployment)))))
                .map(response -> new Routed<>(name, response))
                .onErrorResume(e -> {
                    noteFailure(deployment, e);
                    if (index + 1 < chain.size() && worthFallingBack(e)) {
                        log.warn("deployment {} failed ({}); falling back to {}", deployment.id(), e.getMessage(),
                                chain.get(index + 1).id());
                        return attempt(orgId, chain, index + 1, request);
                    }
                    return Mono.error(translate(name, e));
                });
    }

    private Flux<Routed<StreamChunk>> attemptStream(String orgId, List<Deployment> chain, int index,
            Function<String, ProviderRequest> request) {
        Deployment deployment = chain.get(index);
        String name = deployment.provider();
        java.util.concurrent.atomic.AtomicBoolean emitted = new java.util.concurrent.atomic.AtomicBoolean();
        return balancer.tracked(deployment, Flux.defer(() -> providers.get(name)
                        .stream(withKey(orgId, name, forDeployment(request.apply(name), deployment)))))
                .doOnNext(chunk -> emitted.set(true))
                .map(chunk -> new Routed<>(name, chunk))
                .onErrorResume(e -> {
                    noteFailure(deployment, e);
                    // Only before the first chunk: the fallback's answer would otherwise be spliced into this one.
                    if (index + 1 < chain.size() && worthFallingBack(e) && !emitted.get()) {
                        return attemptStream(orgId, chain, index + 1, request);
                    }
                    return Flux.error(translate(name, e));
                });
    }

    /** A deployment that knows the model by another name gets that name, in the body too. */
    private static ProviderRequest forDeployment(ProviderRequest request, Deployment deployment) {
        if (deployment.model().equals(request.model())) {
            return request;
        }
        tools.jackson.databind.node.ObjectNode body = request.body().deepCopy();
        body.put("model", deployment.model());
        return new ProviderRequest(body, deployment.model(), request.maxTokens(), request.apiKey(),
                request.promptTokensEstimate(), request.api(), request.headers());
    }

    /** Failures that are the deployment's count towards its cooldown; a 429 cools it down at once. */
    private void noteFailure(Deployment deployment, Throwable e) {
        if (e instanceof ProviderFailure failure && failure.retryable()) {
            cooldowns.failed(deployment, failure.status() == 429);
        }
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

    /**
     * The deployments to try, in order: the model's own (balanced) or, without any, the provider its price names;
     * then each provider's {@code fallbacks} with the same model name.
     */
    private List<Deployment> candidates(String model, String provider, UpstreamApi api) {
        List<Deployment> configured = deployments.get(model);
        List<Deployment> first;
        if (configured == null || configured.isEmpty()) {
            if (!providers.containsKey(provider)) {
                throw GatewayException.notFound("provider_not_configured", "The model's provider '" + provider
                        + "' is not configured on this gateway.", "model");
            }
            if (!serves(provider, api)) {
                throw GatewayException.badRequest("model_not_supported", "The model's provider '" + provider
                        + "' does not serve " + api.path() + ".", "model");
            }
            first = List.of(new Deployment(provider, model, 1));
        } else {
            List<Deployment> serving = configured.stream().filter(d -> serves(d.provider(), api)).toList();
            if (serving.isEmpty()) {
                throw GatewayException.badRequest("model_not_supported", "No deployment of model '" + model
                        + "' serves " + api.path() + ".", "model");
            }
            first = balancer.order(serving, strategies.get(model));
        }
        List<Deployment> chain = new ArrayList<>(first);
        for (Deployment deployment : first) {
            List<String> fallbacks = settings.get(deployment.provider()).fallbacks();
            if (fallbacks == null) {
                continue;
            }
            fallbacks.stream().filter(p -> serves(p, api)).map(p -> new Deployment(p, deployment.model(), 1))
                    .filter(d -> chain.stream().noneMatch(c -> c.id().equals(d.id()))).forEach(chain::add);
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
        if (e instanceof ProviderFailure failure && failure.contextLength()) {
            // OpenAI's own code: clients (and the money path's fallback chain) know it.
            return GatewayException.badRequest(CONTEXT_LENGTH_EXCEEDED, failure.getMessage(), "messages");
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

package dev.tally.gateway.messages;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.api.RouteServer;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Anthropic's Messages API, governed like chat, for Anthropic's SDKs and Claude Code
 * ({@code ANTHROPIC_BASE_URL=http://gateway:8080}). They authenticate with {@code x-api-key} (the SDKs' default) or
 * {@code Authorization: Bearer} (Claude Code's {@code ANTHROPIC_AUTH_TOKEN}): both carry the gateway key.
 */
@RestController
public class MessagesController {

    static final String API_KEY = "x-api-key";

    private final RouteServer server;
    private final MessagesRoute route;
    private final GovernanceView view;
    private final ProviderRouter providers;

    public MessagesController(RouteServer server, MessagesRoute route, GovernanceView view,
            ProviderRouter providers) {
        this.server = server;
        this.route = route;
        this.view = view;
        this.providers = providers;
    }

    @PostMapping(path = {"/v1/messages", "/gateway/v1/messages"})
    public Mono<ResponseEntity<?>> messages(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(headers);
        return server.serve(route, withBearer(headers), body);
    }

    /**
     * The input tokens the body can be billed for at most: the gateway's own upper bound, the number the hold uses, so
     * that a client sizing its request against a policy's {@code max_input_tokens} sees what the gateway will compare.
     * Nothing is held, charged or recorded, and no provider is called.
     */
    @PostMapping(path = {"/v1/messages/count_tokens", "/gateway/v1/messages/count_tokens"})
    public Map<String, Integer> countTokens(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(headers);
        server.authenticate(withBearer(headers));
        ObjectNode request = server.body(body);
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            throw GatewayException.badRequest("missing_required_parameter", "model: Field required.", "model");
        }
        if (!model.isString() || model.asString().isBlank()) {
            throw GatewayException.badRequest("invalid_type", "model: must be a non-empty string.", "model");
        }
        route.validateInput(request);
        PriceState price = view.price(model.asString()).orElseThrow(() -> GatewayException.notFound(
                "model_not_found", "The model '" + model.asString() + "' does not exist or has no price.", "model"));
        if (!providers.knows(price.provider())) {
            throw GatewayException.notFound("provider_not_configured", "The model's provider '" + price.provider()
                    + "' is not configured on this gateway.", "model");
        }
        route.checkServes(model.asString(), price);
        return Map.of("input_tokens", route.inputTokens(model.asString(), price, request));
    }

    /** Anthropic's SDKs send the key as {@code x-api-key}; the gateway reads keys from Authorization. */
    static HttpHeaders withBearer(HttpHeaders headers) {
        String apiKey = headers.getFirst(API_KEY);
        if (headers.getFirst(HttpHeaders.AUTHORIZATION) != null || apiKey == null || apiKey.isBlank()) {
            return headers;
        }
        HttpHeaders withKey = new HttpHeaders();
        withKey.putAll(headers);
        withKey.set(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey.strip());
        return withKey;
    }
}

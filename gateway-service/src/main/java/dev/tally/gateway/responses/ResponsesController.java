package dev.tally.gateway.responses;

import dev.tally.gateway.api.RouteServer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's Responses API, governed like chat, for OpenAI's Agents SDK, Codex and any client of
 * {@code client.responses.create}. Each answered response's billed size is remembered, so that continuing it
 * ({@code previous_response_id}) is held for what the provider stored ({@link StoredContext}).
 */
@RestController
public class ResponsesController {

    private final RouteServer server;
    private final ResponsesRoute route;
    private final StoredContext stored;
    private final JsonMapper json;

    public ResponsesController(RouteServer server, ResponsesRoute route, StoredContext stored, JsonMapper json) {
        this.server = server;
        this.route = route;
        this.stored = stored;
        this.json = json;
    }

    @PostMapping(path = {"/v1/responses", "/gateway/v1/responses"})
    public Mono<ResponseEntity<?>> responses(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        RouteServer.requireJson(headers);
        // The organisation the answer's stored response will belong to; serve checks the key as every route does.
        String orgId = server.authenticate(headers).org().id();
        return server.serve(route, headers, body).map(answer -> remembering(orgId, answer));
    }

    @SuppressWarnings("unchecked")
    private ResponseEntity<?> remembering(String orgId, ResponseEntity<?> answer) {
        if (answer.getBody() instanceof JsonNode response) {
            stored.remember(orgId, response);
            return answer;
        }
        if (answer.getBody() instanceof Flux<?> events) {
            Flux<ServerSentEvent<String>> remembered = ((Flux<ServerSentEvent<String>>) events).doOnNext(event -> {
                if ("response.completed".equals(event.event()) || "response.incomplete".equals(event.event())) {
                    remember(orgId, event.data());
                }
            });
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(remembered);
        }
        return answer;
    }

    private void remember(String orgId, String data) {
        try {
            stored.remember(orgId, json.readTree(data).path("response"));
        } catch (JacksonException e) {
            // the provider's event was relayed as it came; a malformed one has nothing to remember
        }
    }
}

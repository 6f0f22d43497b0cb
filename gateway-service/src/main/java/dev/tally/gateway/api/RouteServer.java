package dev.tally.gateway.api;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.id.TimeOrderedIds;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.report.RequestRecorder;
import dev.tally.gateway.route.MoneyPath;
import dev.tally.gateway.route.PreparedRequest;
import dev.tally.gateway.route.RequestHeaders;
import dev.tally.gateway.route.RequestPreparer;
import dev.tally.gateway.route.Route;
import dev.tally.gateway.state.StateTopicConsumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One governed call of any route, from the HTTP request to the answer: the key, the body read and prepared by the
 * route, the money path, and the answer (JSON, or Server-Sent Events for a stream) with its {@code X-Request-ID}.
 * Refusals before money are recorded too.
 */
@Component
public class RouteServer {

    private final RequestPreparer preparer;
    private final MoneyPath money;
    private final RequestRecorder recorder;
    private final StateTopicConsumer state;
    private final JsonMapper json;

    public RouteServer(RequestPreparer preparer, MoneyPath money, RequestRecorder recorder, StateTopicConsumer state,
            JsonMapper json) {
        this.preparer = preparer;
        this.money = money;
        this.recorder = recorder;
        this.state = state;
        this.json = json;
    }

    public Mono<ResponseEntity<?>> serve(Route route, HttpHeaders httpHeaders, byte[] body) {
        long started = System.nanoTime();
        requireReady();
        RequestHeaders headers = RequestHeaders.of(httpHeaders);
        Principal principal = preparer.authenticate(headers);
        PreparedRequest request;
        try {
            request = preparer.prepare(started, principal, headers, parse(body), route);
        } catch (GatewayException e) {
            recordRefusal(route, principal, headers, body, e);
            throw e;
        }
        if (request.stream()) {
            return money.stream(route, request).map(streamed -> ResponseEntity.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .header("X-Request-ID", request.requestId())
                    .headers(TallyHeaders.held(streamed.request()))
                    .body(streamed.events()));
        }
        return money.complete(route, request).map(answer -> ResponseEntity.ok()
                .header("X-Request-ID", request.requestId())
                .headers(TallyHeaders.of(answer.path("x_platform")))
                .body(answer));
    }

    /**
     * The caller of a route that moves no money (count_tokens), checked as every route checks it; and its body, read
     * as every route reads it.
     */
    public Principal authenticate(HttpHeaders httpHeaders) {
        requireReady();
        return preparer.authenticate(RequestHeaders.of(httpHeaders));
    }

    public ObjectNode body(byte[] body) {
        return parse(body);
    }

    private void requireReady() {
        if (!state.ready()) {
            throw GatewayException.ledgerUnavailable("The gateway is still loading governance state; retry shortly.");
        }
    }

    /**
     * For routes that read only JSON: a body declared as something else (a form, plain text) is refused with 415,
     * as OpenAI's own routes would; a body without a declared type is read as JSON.
     */
    public static void requireJson(HttpHeaders headers) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (RuntimeException e) {
            throw unsupported(headers.getFirst(HttpHeaders.CONTENT_TYPE));
        }
        if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type)
                && !"json".equals(type.getSubtypeSuffix())) {
            throw unsupported(type.toString());
        }
    }

    private static GatewayException unsupported(String type) {
        return new GatewayException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error",
                "unsupported_media_type", "Content-Type '" + type + "' is not supported; send the body as "
                + "application/json.", "Content-Type",
                RequestOutcome.INVALID_REQUEST, null, null);
    }

    private ObjectNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw GatewayException.badRequest("invalid_body", "The request body is empty; send a JSON object.", null);
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JacksonException e) {
            throw GatewayException.badRequest("invalid_json", "The request body is not valid JSON: "
                    + e.getOriginalMessage(), null);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw GatewayException.badRequest("invalid_body", "The request body must be a JSON object.", null);
        }
        return object;
    }

    /** Refusals before money are part of the usage record too (policy blocks, rate limits, unknown models). */
    private void recordRefusal(Route route, Principal principal, RequestHeaders headers, byte[] body,
            GatewayException e) {
        String model = null;
        try {
            model = json.readTree(body).path("model").asString(null);
        } catch (RuntimeException ignored) {
            // an unreadable body has no model to report
        }
        recorder.record(new GatewayRequestRecord(TimeOrderedIds.next(), principal.org().id(),
                principal.member().id(), principal.member().kind(), principal.key().id(), headers.projectId(), model,
                model, null, route.endpoint(), false, headers.privacyStrict(), headers.priority().name(),
                e.outcome(), e.status().value(), e.code(), e.budgetId(), 0, 0, 0, 0, 0, 0, Instant.now()));
    }
}

package dev.tally.gateway.api;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.chat.ChatHeaders;
import dev.tally.gateway.chat.ChatPipeline;
import dev.tally.gateway.chat.ChatPreparer;
import dev.tally.gateway.chat.PreparedRequest;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.report.RequestRecorder;
import dev.tally.gateway.state.StateTopicConsumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** OpenAI's chat completions, governed: a drop-in for any OpenAI client (change the base URL and the key). */
@RestController
public class ChatController {

    private final ChatPreparer preparer;
    private final ChatPipeline pipeline;
    private final RequestRecorder recorder;
    private final StateTopicConsumer state;
    private final JsonMapper json;

    public ChatController(ChatPreparer preparer, ChatPipeline pipeline, RequestRecorder recorder,
            StateTopicConsumer state, JsonMapper json) {
        this.preparer = preparer;
        this.pipeline = pipeline;
        this.recorder = recorder;
        this.state = state;
        this.json = json;
    }

    @PostMapping(path = {"/v1/chat/completions", "/gateway/v1/chat/completions"})
    public Mono<ResponseEntity<?>> chat(@RequestHeader HttpHeaders httpHeaders,
            @RequestBody(required = false) byte[] body) {
        long started = System.nanoTime();
        if (!state.ready()) {
            throw GatewayException.ledgerUnavailable("The gateway is still loading governance state; retry shortly.");
        }
        ChatHeaders headers = ChatHeaders.of(httpHeaders);
        Principal principal = preparer.authenticate(headers);
        PreparedRequest request;
        try {
            request = preparer.prepare(started, principal, headers, parse(body));
        } catch (GatewayException e) {
            recordRefusal(principal, headers, body, e);
            throw e;
        }
        if (request.stream()) {
            return pipeline.stream(request).map(data -> ResponseEntity.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .header("X-Request-ID", request.requestId())
                    .body(data.map(line -> ServerSentEvent.builder(line).build())));
        }
        return pipeline.complete(request).map(answer -> ResponseEntity.ok()
                .header("X-Request-ID", request.requestId())
                .body(answer));
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
    private void recordRefusal(Principal principal, ChatHeaders headers, byte[] body, GatewayException e) {
        String model = null;
        try {
            model = json.readTree(body).path("model").asString(null);
        } catch (RuntimeException ignored) {
            // an unreadable body has no model to report
        }
        recorder.record(new GatewayRequestRecord(UUID.randomUUID().toString(), principal.org().id(),
                principal.member().id(), principal.member().kind(), principal.key().id(), headers.projectId(), model,
                model, null, false, headers.privacyStrict(), headers.priority().name(), e.outcome(),
                e.status().value(), e.code(), e.budgetId(), 0, 0, 0, 0, 0, 0, Instant.now()));
    }
}

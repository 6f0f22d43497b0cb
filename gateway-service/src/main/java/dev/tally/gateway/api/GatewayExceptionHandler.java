package dev.tally.gateway.api;

import dev.tally.gateway.error.AnthropicError;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.error.OpenAiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every failure in the format of the API the request called, so SDKs raise their usual exception types: Anthropic's
 * for the Messages routes ({@code /v1/messages…}), OpenAI's for every other path.
 */
@RestControllerAdvice
public class GatewayExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<?> gateway(GatewayException e, ServerWebExchange exchange) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(messagesRoute(exchange) ? AnthropicError.of(e) : OpenAiError.of(e));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<?> input(ServerWebInputException e, ServerWebExchange exchange) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return tooLarge(exchange);
            }
        }
        return gateway(GatewayException.badRequest("invalid_body", "The request body cannot be read.", null),
                exchange);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<?> limit(DataBufferLimitException e, ServerWebExchange exchange) {
        return tooLarge(exchange);
    }

    /** Raised by the framework, the route not found or not taking the request among them (UnservedRequests). */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<?> status(ResponseStatusException e, ServerWebExchange exchange) {
        if (e.getStatusCode().value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            return tooLarge(exchange);
        }
        return inFormat(UnservedRequests.answer(e, exchange.getRequest()), exchange);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<?> unexpected(Exception e, ServerWebExchange exchange) {
        log.error("unexpected failure", e);
        return inFormat(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(new OpenAiError(
                new OpenAiError.Body("Internal error; the gateway log has the details.", "api_error", null,
                        "internal_error"))), exchange);
    }

    private ResponseEntity<?> tooLarge(ServerWebExchange exchange) {
        return inFormat(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new OpenAiError(new OpenAiError.Body(
                "The request body is too large.", "invalid_request_error", null, "request_too_large"))), exchange);
    }

    /** The same answer, in Anthropic's format when the request called a Messages route. */
    private static ResponseEntity<?> inFormat(ResponseEntity<OpenAiError> openAi, ServerWebExchange exchange) {
        if (!messagesRoute(exchange) || openAi.getBody() == null) {
            return openAi;
        }
        return ResponseEntity.status(openAi.getStatusCode()).headers(openAi.getHeaders())
                .body(AnthropicError.of(openAi.getStatusCode().value(), openAi.getBody()));
    }

    /** {@code /v1/messages}, {@code /v1/messages/count_tokens}, and the same under {@code /gateway}. */
    static boolean messagesRoute(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/gateway/")) {
            path = path.substring("/gateway".length());
        }
        return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
    }
}

package dev.tally.gateway.api;

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

/** Every failure in OpenAI's error format, so SDKs raise their usual exception types. */
@RestControllerAdvice
public class GatewayExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<OpenAiError> gateway(GatewayException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(OpenAiError.of(e));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<OpenAiError> input(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return tooLarge();
            }
        }
        return gateway(GatewayException.badRequest("invalid_body", "The request body cannot be read.", null));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<OpenAiError> limit(DataBufferLimitException e) {
        return tooLarge();
    }

    /** Raised by the framework, the route not found or not taking the request among them (UnservedRequests). */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<OpenAiError> status(ResponseStatusException e, ServerWebExchange exchange) {
        if (e.getStatusCode().value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            return tooLarge();
        }
        return UnservedRequests.answer(e, exchange.getRequest());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(new OpenAiError(new OpenAiError.Body(
                "Internal error; the gateway log has the details.", "api_error", null, "internal_error")));
    }

    private ResponseEntity<OpenAiError> tooLarge() {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new OpenAiError(new OpenAiError.Body(
                "The request body is too large.", "invalid_request_error", null, "request_too_large")));
    }
}

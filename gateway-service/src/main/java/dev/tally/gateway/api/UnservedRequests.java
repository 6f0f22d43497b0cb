package dev.tally.gateway.api;

import dev.tally.gateway.error.OpenAiError;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the framework refuses before any route runs — no such route, a method the route does not take, a body type it
 * cannot read — in OpenAI's error format with a message naming the request, never a framework message, so that SDKs
 * raise their usual exceptions ({@code NotFoundException}…) with something a person can act on. WebFlux hands these
 * refusals to the controller advice too ({@link GatewayExceptionHandler}), the missing static resource included.
 */
final class UnservedRequests {

    private UnservedRequests() {
    }

    static ResponseEntity<OpenAiError> answer(ResponseStatusException e, ServerHttpRequest request) {
        HttpStatusCode status = e.getStatusCode();
        String call = request.getMethod().name() + " " + request.getPath().value();
        String code;
        String message;
        String param = null;
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            code = "unknown_url";
            message = "Unknown request URL: " + call + ". This gateway serves OpenAI's /v1/chat/completions, "
                    + "/v1/responses, /v1/completions, /v1/embeddings and /v1/models, and Anthropic's /v1/messages "
                    + "(also under /gateway/v1).";
        } else if (e instanceof MethodNotAllowedException notAllowed) {
            code = "method_not_allowed";
            message = "Method " + request.getMethod().name() + " is not allowed for " + request.getPath().value()
                    + "; it takes " + notAllowed.getSupportedMethods().stream().map(m -> m.name()).sorted()
                    .collect(Collectors.joining(", ")) + ".";
        } else if (e instanceof UnsupportedMediaTypeStatusException unsupported) {
            code = "unsupported_media_type";
            message = "Content-Type '" + unsupported.getContentType() + "' is not supported for " + call
                    + "; send the body as application/json.";
            param = "Content-Type";
        } else {
            HttpStatus known = HttpStatus.resolve(status.value());
            code = known == null ? "error" : known.name().toLowerCase(Locale.ROOT);
            message = (e.getReason() != null ? e.getReason() : known == null ? "error" : known.getReasonPhrase())
                    + " (" + call + ").";
        }
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(e.getHeaders());
        return ResponseEntity.status(status).headers(headers).body(new OpenAiError(new OpenAiError.Body(message,
                status.is5xxServerError() ? "api_error" : "invalid_request_error", param, code)));
    }
}
